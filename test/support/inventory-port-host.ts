import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The child's program, plain JS run with `node --input-type=module -e` (jest on Node 20 cannot load
 * the app's CJS/ESM mix in its own module system, and a separate .mjs file would need its own
 * lint setup). It boots the built application context (dist) and serves {id, op, args} messages;
 * every call runs in its own request context, and the reply carries the SQL statements it ran.
 */
const CHILD = `import 'reflect-metadata';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';

const dist = resolve(process.cwd(), process.env.SCALESHOP_DIST ?? 'dist');
const load = (p) => import(resolve(dist, p));
const [{ AppModule }, { loadConfig }, contract, ctxMod, reconcilerMod, adminMod] =
  await Promise.all([
    load('src/app.module.js'),
    load('src/platform/config/app-config.js'),
    load('src/modules/inventory/inventory.contract.js'),
    load('src/platform/context/request-context.js'),
    load('src/modules/inventory/application/hot-sku-reconciler.js'),
    load('src/modules/inventory/application/stock-admin.service.js'),
  ]);

const app = await NestFactory.createApplicationContext(AppModule.forRoot(loadConfig()), {
  logger: ['error', 'warn'],
});
const port = app.get(contract.INVENTORY_PORT);
const admin = app.get(adminMod.StockAdminService);
const reconciler = app.get(reconcilerMod.HotSkuReconciler);

const ops = {
  reserve: (lines, options) => port.reserve(lines, options),
  commit: (id) => port.commit(id),
  release: (id) => port.release(id),
  availability: (skus) => port.availability(skus),
  setStock: (sku, onHand, hot) => admin.set(sku, onHand, hot),
  reconcile: (sku) => reconciler.reconcile(sku),
};

process.on('message', (msg) => {
  if (msg.op === 'close') {
    void app.close().then(() => process.exit(0));
    return;
  }
  const ctx = ctxMod.newRequestContext();
  ctxMod
    .runInContext(ctx, () => ops[msg.op](...msg.args))
    .then(
      (value) => ({ id: msg.id, value: value ?? null }),
      (err) => ({ id: msg.id, error: String(err?.message ?? err) }),
    )
    .then((reply) =>
      process.send({ ...reply, statements: ctx.queries.primary + ctx.queries.replica }),
    );
});
process.send({ ready: true });`;

interface Reply {
  id?: number;
  ready?: boolean;
  value?: unknown;
  error?: string;
  statements?: number;
}

/** One call's answer and the SQL statements it ran (primary + replica). */
export interface Counted<T> {
  value: T;
  statements: number;
}

/**
 * The real inventory adapter in a child process (see CHILD); calls go over IPC and run concurrently in that process.
 */
export class InventoryPortHost {
  private readonly pending = new Map<number, (r: Reply) => void>();
  private nextId = 1;
  private output = '';

  private constructor(private readonly child: ChildProcess) {}

  static async start(env: Record<string, string>): Promise<InventoryPortHost> {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const host = new InventoryPortHost(child);
    child.stdout?.on('data', (d: Buffer) => (host.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (host.output += d.toString()));
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`host did not start:\n${host.output}`)),
        30_000,
      );
      child.once('exit', (code) => fail(new Error(`host exited (${code}):\n${host.output}`)));
      child.on('message', (m: Reply) => {
        if (m.ready) {
          clearTimeout(timer);
          ok();
        } else if (m.id !== undefined) {
          host.pending.get(m.id)?.(m);
          host.pending.delete(m.id);
        }
      });
    });
    return host;
  }

  get logs(): string {
    return this.output;
  }

  /** Calls `op` in the host; rejects with the host's error message. */
  async call<T>(op: string, ...args: unknown[]): Promise<Counted<T>> {
    const id = this.nextId++;
    const reply = await new Promise<Reply>((ok) => {
      this.pending.set(id, ok);
      this.child.send({ id, op, args });
    });
    if (reply.error !== undefined) throw new Error(reply.error);
    return { value: reply.value as T, statements: reply.statements ?? 0 };
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.send({ op: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}
