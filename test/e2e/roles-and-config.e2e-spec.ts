import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import type pg from 'pg';
import { AppProcess, DIST } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct } from '../support/http.js';
import { appEnv } from '../support/test-env.js';

const MAIN = resolve(DIST, 'src/main.js');

/** Runs the built app to completion with exactly `env` (config errors exit before listening). */
function runMain(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [MAIN], { env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, signal: result.signal, stderr: result.stderr ?? '' };
}

interface OutboxRow {
  id: string;
  published_at: Date | null;
}

describe('configuration is validated before anything starts', () => {
  it('reports every bad variable at once and exits 1', () => {
    const env = appEnv({ JWT_ACCESS_SECRET: 'short', ROLE: 'bogus', PORT: '0' });
    delete env.DATABASE_PRIMARY_URL;
    const { status, signal, stderr } = runMain(env);
    expect(signal).toBeNull();
    expect(status).toBe(1);
    expect(stderr).toMatch(/Invalid configuration/);
    for (const name of ['DATABASE_PRIMARY_URL', 'JWT_ACCESS_SECRET', 'ROLE']) {
      expect(stderr).toMatch(new RegExp(`^\\s*- ${name}:`, 'm'));
    }
    // Only the variables that are wrong are named.
    expect(stderr).not.toMatch(/JWT_REFRESH_SECRET|QUEUE_REDIS_URL|MODULES/);
    // A short config report, not a crash with a stack trace.
    expect(stderr).not.toMatch(/\bat \S+ \(|node_modules/);
  });

  it('refuses an unknown module in MODULES', () => {
    const { status, stderr } = runMain(appEnv({ MODULES: 'nonsense', PORT: '0' }));
    expect(status).toBe(1);
    expect(stderr).toMatch(/^\s*- MODULES(\.\d+)?:/m);
    expect(stderr).not.toMatch(/DATABASE_PRIMARY_URL|JWT_ACCESS_SECRET|ROLE/);
  });

  it('control: the same environment without the mistakes starts', async () => {
    // Proves the two tests above fail because of the named variables, not the harness.
    const app = await AppProcess.start({ ROLE: 'api', QUEUE_PREFIX: `cfg${Date.now()}` });
    try {
      expect((await api(app.url, '/health/live')).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});

describe('process roles', () => {
  // One queue namespace for the pair: the worker relays what the api process wrote.
  const prefix = `roles${Date.now()}`;
  let db: pg.Pool;
  let apiProcess: AppProcess;
  let worker: AppProcess | undefined;

  const startWorker = async () => {
    worker ??= await AppProcess.start({ ROLE: 'worker', QUEUE_PREFIX: prefix });
    return worker;
  };

  const outboxRowsOf = async (productId: string) =>
    (
      await db.query<OutboxRow>(
        `SELECT id, published_at FROM catalog.outbox WHERE payload->>'productId' = $1`,
        [productId],
      )
    ).rows;

  const documentOf = async (productId: string) =>
    (
      await db.query<{ document: { id: string; name: string } }>(
        'SELECT document FROM catalog.product_documents WHERE product_id = $1',
        [productId],
      )
    ).rows[0]?.document;

  beforeAll(async () => {
    db = primary();
    apiProcess = await AppProcess.start({ ROLE: 'api', QUEUE_PREFIX: prefix });
  });

  afterAll(async () => {
    await Promise.all([apiProcess?.stop(), worker?.stop()]);
    await db?.end();
  });

  it('ROLE=api writes to the outbox but does not relay it; a ROLE=worker does', async () => {
    // Nothing else may relay this database's outbox during this test.
    expect(worker).toBeUndefined();
    const token = await adminToken(apiProcess.url);
    const product = await createProduct(apiProcess.url, token, { name: 'Relayed by the worker' });

    const [row] = await outboxRowsOf(product.id);
    expect(row).toBeDefined();
    expect(row.published_at).toBeNull();

    // Proving an absence needs a wait: 30 relay poll intervals (OUTBOX_POLL_MS=50).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await outboxRowsOf(product.id)).toEqual([{ id: row.id, published_at: null }]);
    expect(await documentOf(product.id)).toBeUndefined();

    await startWorker();
    await eventually(async () => {
      const [after] = await outboxRowsOf(product.id);
      expect(after.published_at).toBeInstanceOf(Date);
    });
    await eventually(async () => {
      expect(await documentOf(product.id)).toMatchObject({
        id: product.id,
        name: 'Relayed by the worker',
      });
    });
  });

  it('ROLE=worker serves health and metrics but no API and no GraphQL', async () => {
    const w = await startWorker();
    expect((await api(w.url, '/health/live')).status).toBe(200);
    expect((await api(w.url, '/health/ready')).status).toBe(200);

    const metrics = await fetch(`${w.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('# HELP scaleshop_outbox_published_total ');

    const products = await api<{ code: string }>(w.url, '/api/v1/products');
    expect(products.status).toBe(404);
    expect(products.body.code).toBe('request.not_found');
    const login = await api(w.url, '/api/v1/auth/login', {
      method: 'POST',
      body: { email: 'admin@scaleshop.test', password: 'whatever-password' },
    });
    expect(login.status).toBe(404);
    const graphql = await api(w.url, '/graphql', {
      method: 'POST',
      body: { query: '{ products(first: 1) { items { id } } }' },
    });
    expect(graphql.status).toBe(404);
    expect((await api(w.url, '/docs/openapi.json')).status).toBe(404);

    // The same requests work on the api process, so the 404s are about the role.
    expect((await api(apiProcess.url, '/api/v1/products')).status).toBe(200);
    const gql = await api(apiProcess.url, '/graphql', {
      method: 'POST',
      body: { query: '{ products(first: 1) { items { id } } }' },
    });
    expect(gql.status).not.toBe(404);
  });
});

describe('MODULES selects the bounded contexts a process hosts', () => {
  let app: AppProcess;

  beforeAll(async () => {
    app = await AppProcess.start({
      ROLE: 'api',
      MODULES: 'identity',
      QUEUE_PREFIX: `mods${Date.now()}`,
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('serves identity routes but not the catalog', async () => {
    const products = await api<{ code: string }>(app.url, '/api/v1/products');
    expect(products.status).toBe(404);
    expect(products.body.code).toBe('request.not_found');
    const admin = await api(app.url, '/api/v1/admin/products', { method: 'POST', body: {} });
    expect(admin.status).toBe(404);

    const token = await adminToken(app.url);
    expect(token.split('.')).toHaveLength(3);
    const me = await api<{ role: string }>(app.url, '/api/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body.role).toBe('admin');

    const doc = await api<{ paths: Record<string, unknown> }>(app.url, '/docs/openapi.json');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/auth/login');
    expect(Object.keys(doc.body.paths)).not.toContain('/api/v1/products');
  });
});
