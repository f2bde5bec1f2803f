import { resolve } from 'node:path';
import type { BenchDatabase } from './database.js';
import { Child, freePort } from './processes.js';

/**
 * What every scenario shares: the settings from the environment, the app's production
 * environment, and starting and stopping the servers a scenario measures.
 */

const env = process.env;
const int = (name: string, fallback: number) => Number(env[name] ?? fallback);

export const settings = {
  root: process.cwd(),
  dist: resolve(process.cwd(), env.SCALESHOP_DIST ?? 'dist'),
  pgPort: int('PG_PORT', 5432),
  replicaPort: int('REPLICA_PORT', 5433),
  rounds: int('BENCH_ROUNDS', 3),
  seconds: int('BENCH_SECONDS', 8),
  warmupSeconds: int('BENCH_WARMUP_SECONDS', 2),
  /** Connections for the read scenarios and for checkout (more: most wait on row locks). */
  connections: int('BENCH_CONNECTIONS', 20),
  checkoutConnections: int('BENCH_CHECKOUT_CONNECTIONS', 50),
  maxSeconds: int('BENCH_MAX_SECONDS', 840),
};

export const CURSOR_SECRET = 'bench-cursor-secret-0123456789abcdefgh';
export const ACCESS_SECRET = 'bench-access-secret-0123456789abcdefghij';
export const ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password-0123' };
const SHARED = ['scaleshop', 'scaleshop_test'];

export const say = (line: string) => process.stdout.write(`${line}\n`);

export type { BenchDatabase };

/** A bench database by name; the shared ones are refused. */
export function benchDatabase(name: string): BenchDatabase {
  if (SHARED.includes(name)) throw new Error(`refusing to bench ${name}`);
  return {
    name,
    primaryUrl: `postgres://postgres@127.0.0.1:${settings.pgPort}/${name}`,
    replicaUrl: `postgres://postgres@127.0.0.1:${settings.replicaPort}/${name}`,
  };
}

/** The app's production environment against `db` and the private Redis on `redisPort`. */
export function appEnv(
  db: BenchDatabase,
  redisPort: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_PRIMARY_URL: db.primaryUrl,
    DATABASE_REPLICA_URLS: db.replicaUrl,
    QUEUE_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
    CACHE_REDIS_URL: `redis://127.0.0.1:${redisPort}/1`,
    QUEUE_PREFIX: 'bench',
    JWT_ACCESS_SECRET: ACCESS_SECRET,
    JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdefghij',
    PAYMENTS_WEBHOOK_SECRETS: 'bench-webhook-secret-0123456789abcdefghij',
    CURSOR_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    // Entries must outlive the scenario: a cached read is measured, not expiry.
    CACHE_TTL_MS: '600000',
    ...extra,
  };
}

export interface Server {
  child: Child;
  url: string;
  port: number;
}

/** Servers started for the scenarios: one that dies mid-run fails the scenario it was in. */
export const servers = new Set<Server>();

/** Starts a Node server on a free port and waits until `health` answers 200. */
export async function startNode(
  name: string,
  script: string,
  vars: Record<string, string>,
  health = '/health/live',
): Promise<Server> {
  const port = await freePort();
  const child = Child.node(name, script, { ...vars, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await child.waitHttp(url + health, 60_000);
  const server = { child, url, port };
  servers.add(server);
  return server;
}

/** The built app as `ROLE=api`, ready (its replica router up, so reads go where they will). */
export function startApi(
  name: string,
  db: BenchDatabase,
  redisPort: number,
  extra: Record<string, string> = {},
): Promise<Server> {
  const vars = appEnv(db, redisPort, { ROLE: 'api', ...extra });
  return startNode(name, `${settings.dist}/src/main.js`, vars, '/health/ready');
}

/** A `ROLE=worker` that delivers test-provider payment webhooks to `api`. */
export function startWorker(db: BenchDatabase, redisPort: number, api: Server): Promise<Server> {
  const vars = appEnv(db, redisPort, {
    ROLE: 'worker',
    PAYMENTS_TEST_WEBHOOK_URL: `${api.url}/api/v1/payments/webhooks/test`,
  });
  return startNode('worker', `${settings.dist}/src/main.js`, vars);
}

/** Stops a server on purpose (it no longer counts as having died). */
export async function stopServer(server: Server): Promise<void> {
  servers.delete(server);
  await server.child.stop();
}

/** Servers that exited while they should have been serving. */
export const deadServers = () => [...servers].filter((s) => s.child.exitCode !== undefined);

/** Sum of a Prometheus metric's samples whose labels include `labels`. */
export async function metric(url: string, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
    const have = m[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) sum += Number(m[2]);
  }
  return sum;
}

/** Compares the two servers' answers to one request: byte for byte, and as parsed JSON. */
export async function compare(a: string, b: string, path: string, init: RequestInit = {}) {
  const [x, y] = await Promise.all([fetch(a + path, init), fetch(b + path, init)]);
  const [tx, ty] = await Promise.all([x.text(), y.text()]);
  const json = (t: string) => JSON.stringify(JSON.parse(t));
  return { sameBytes: tx === ty, sameJson: json(tx) === json(ty) };
}

/** JSON over HTTP that must succeed. */
export async function call<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** The V8 heap and external memory of an app process, from its default process metrics. */
export async function heapOf(url: string) {
  const mb = async (name: string) => (await metric(url, name)) / 2 ** 20;
  return {
    usedMb: await mb('nodejs_heap_size_used_bytes'),
    totalMb: await mb('nodejs_heap_size_total_bytes'),
    externalMb: await mb('nodejs_external_memory_bytes'),
  };
}

/** Starts the private redis-server every run uses instead of the shared one. */
export async function privateRedis(): Promise<number> {
  const port = await freePort();
  await Child.redis(port);
  return port;
}
