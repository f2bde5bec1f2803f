import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every process the bench started, so that an error or Ctrl-C stops exactly those. */
const started = new Set<Child>();

/**
 * A process the bench started: its output (kept for error messages), its memory from /proc, a
 * readiness wait, and a stop that escalates from SIGTERM to SIGKILL.
 */
export class Child {
  private output = '';
  exitCode?: number | null;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly cleanup?: () => void,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.keep(d));
    child.stderr?.on('data', (d: Buffer) => this.keep(d));
    child.on('exit', (code) => {
      this.exitCode = code;
      started.delete(this);
      this.cleanup?.();
    });
    child.on('error', (err) => {
      this.output += `spawn error: ${err.message}\n`;
      this.exitCode ??= -1;
    });
    started.add(this);
  }

  /** Runs a built JS file with this Node binary. */
  static node(name: string, script: string, env: Record<string, string>, args: string[] = []) {
    const child = spawn(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Child(name, child);
  }

  /** Any other program (nginx); `cleanup` runs once it has exited. */
  static spawn(name: string, command: string, args: string[], cleanup?: () => void): Child {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return new Child(name, child, cleanup);
  }

  /** A private redis-server: no persistence, its own empty working directory. */
  static async redis(port: number): Promise<Child> {
    const dir = mkdtempSync(join(tmpdir(), 'scaleshop-bench-redis-'));
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly'];
    const child = spawn('redis-server', [...args, 'no', '--dir', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const redis = new Child('redis', child, () => rmSync(dir, { recursive: true, force: true }));
    await redis.waitFor(() => redisPing(port), 10_000);
    return redis;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get logs(): string {
    return this.output;
  }

  /** Resident set size now and at its peak (VmHWM), in MB; undefined once the process is gone. */
  memory(): { rssMb: number; peakMb: number } | undefined {
    return memoryOf(this.child.pid);
  }

  /** CPU time (user + system) the process has used so far, in seconds; undefined once gone. */
  cpuSeconds(): number | undefined {
    return cpuSecondsOf(this.child.pid);
  }

  /** Polls `probe` until it resolves true; fails with the process output if it exits first. */
  async waitFor(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitCode !== undefined) break;
      if (await probe().catch(() => false)) return;
      await sleep(100);
    }
    await this.stop();
    throw new Error(`${this.name} did not become ready:\n${this.output.slice(-3000)}`);
  }

  /** Waits until GET `url` answers 200. */
  waitHttp(url: string, timeoutMs = 30_000): Promise<void> {
    return this.waitFor(async () => (await fetch(url)).status === 200, timeoutMs);
  }

  /** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.exitCode !== undefined) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private keep(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-20_000);
  }
}

/** RSS and peak RSS (VmHWM) of `pid` in MB from /proc/<pid>/status. */
export function memoryOf(pid: number | undefined): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1]);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** The child processes of `pid` (nginx's workers under its master). */
export function childPids(pid: number | undefined): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number);
  } catch {
    return [];
  }
}

/** utime + stime of `pid` from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s). */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS = 100;

/** Stops every process the bench started and has not stopped yet. */
export async function stopAll(): Promise<void> {
  await Promise.all([...started].map((c) => c.stop(5_000)));
}

/** One PING over a raw socket (the bench needs no Redis client for this). */
function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (d) => done(d.toString().startsWith('+PONG')));
    socket.write('PING\r\n');
  });
}
