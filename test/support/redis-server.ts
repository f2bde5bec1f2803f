import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { eventually } from './eventually.js';
import { freePort } from './ports.js';

/**
 * A private, throw-away redis-server for one test file: its own free port, no persistence, its
 * own working directory (so it never loads a dump.rdb lying around). Tests kill -9 it to simulate
 * an outage and restart it on the same port, without touching the shared Redis.
 */
export class RedisServer {
  private child?: ChildProcess;
  private output = '';
  private exitCode?: number | null;
  private dir?: string;
  private readonly clients: Redis[] = [];

  private constructor(readonly port: number) {}

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.spawn();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitCode === undefined;
  }

  get logs(): string {
    return this.output;
  }

  /** A client of this server for the test's own checks; reconnects by itself after a restart. */
  client(): Redis {
    const client = new Redis(this.url, {
      maxRetriesPerRequest: 1,
      retryStrategy: () => 100,
    });
    client.on('error', () => undefined);
    this.clients.push(client);
    return client;
  }

  /** kill -9 and wait for the exit: the data is gone (nothing is persisted). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || this.exitCode !== undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGKILL');
    await exited;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }

  /** Kills the server if it runs and starts an empty one on the same port. */
  async restart(): Promise<void> {
    await this.kill();
    await this.spawn();
  }

  /** Kills the server and closes every client handed out by client(). */
  async stop(): Promise<void> {
    for (const client of this.clients.splice(0)) client.disconnect();
    await this.kill();
  }

  private async spawn(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'scaleshop-redis-'));
    this.output = '';
    this.exitCode = undefined;
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.on('exit', (code) => (this.exitCode = code));
    child.on('error', (err) => {
      this.output += `spawn error: ${err.message}\n`;
      this.exitCode ??= -1;
    });
    await eventually(
      async () => {
        if (this.exitCode !== undefined)
          throw new Error(`redis-server exited early (${this.exitCode}):\n${this.output}`);
        await this.ping();
      },
      { timeoutMs: 10_000, intervalMs: 50 },
    ).catch(async (err: Error) => {
      await this.kill();
      throw err;
    });
  }

  /** One PING on a fresh connection that never retries. */
  private async ping(): Promise<void> {
    const probe = new Redis(this.port, '127.0.0.1', {
      lazyConnect: true,
      connectTimeout: 500,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      const pong = await probe.ping();
      if (pong !== 'PONG') throw new Error(`PING answered ${pong}`);
    } finally {
      probe.disconnect();
    }
  }
}
