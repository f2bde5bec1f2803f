import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { appEnv } from './test-env.js';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

/** The build under test; SCALESHOP_DIST lets a developer test a build in another folder. */
export const DIST = resolve(process.cwd(), process.env.SCALESHOP_DIST ?? 'dist');
const MAIN = resolve(DIST, 'src/main.js');

/**
 * One real Scaleshop process (built JS, as in production) on a free port. Tests talk to it over
 * HTTP and can stop it gracefully or kill -9 it.
 */
export class AppProcess {
  private child?: ChildProcess;
  private output = '';
  exitCode?: number | null;
  port = 0;

  constructor(readonly env: Record<string, string>) {}

  static async start(overrides: Record<string, string> = {}): Promise<AppProcess> {
    const app = new AppProcess(appEnv(overrides));
    await app.start();
    return app;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logs(): string {
    return this.output;
  }

  async start(): Promise<void> {
    this.port = Number(this.env.PORT ?? 0) || (await freePort());
    this.env.PORT = String(this.port);
    this.output = '';
    this.exitCode = undefined;
    const child = spawn(process.execPath, [MAIN], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.on('exit', (code) => (this.exitCode = code));
    await eventually(
      async () => {
        if (this.exitCode !== undefined)
          throw new Error(`exited early (${this.exitCode}):\n${this.output}`);
        const res = await fetch(`${this.url}/health/live`);
        if (res.status !== 200) throw new Error(`live ${res.status}`);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    ).catch((err: Error) => {
      if (this.exitCode === undefined) this.child?.kill('SIGKILL');
      throw new Error(`${err.message}\n--- process output ---\n${this.output.slice(-4000)}`);
    });
  }

  /** SIGTERM and wait for the exit; returns the exit code. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (!this.child || this.exitCode !== undefined) return this.exitCode ?? null;
    const exited = new Promise<number | null>((r) => this.child?.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), timeoutMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /** kill -9: no cleanup, no graceful anything. */
  async kill(): Promise<void> {
    if (!this.child || this.exitCode !== undefined) return;
    const exited = new Promise<void>((r) => this.child?.once('exit', () => r()));
    this.child.kill('SIGKILL');
    await exited;
  }

  signal(signal: NodeJS.Signals): void {
    this.child?.kill(signal);
  }
}
