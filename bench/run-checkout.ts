import { createHmac, randomUUID } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { Child, freePort, stopAll } from './lib/processes.js';

/**
 * Checkout load test (DESIGN.md budgets: flash sale on one hot SKU ≥ 1,000 attempts/s, each an
 * order or a clean 409, 0 oversold; many SKUs ≥ 300 completed orders/s). The API (ROLE=api) and a
 * worker (ROLE=worker: payments, inventory, notifications) run against a fresh database; each
 * scenario alternates with a bare Fastify + pg baseline selling the same stock with one
 * conditional UPDATE. Writes bench/results/checkout-<timestamp>.md and .json.
 */

const env = process.env;
const int = (name: string, fallback: number) => Number(env[name] ?? fallback);
const ROOT = process.cwd();
const DIST = resolve(ROOT, env.SCALESHOP_DIST ?? 'dist');
const HERE = dirname(fileURLToPath(import.meta.url));
const DB = env.BENCH_CHECKOUT_DB ?? 'scaleshop_bench_checkout';
const PG_PORT = int('PG_PORT', 5432);
const REPLICA_PORT = int('REPLICA_PORT', 5433);
const ROUNDS = int('BENCH_ROUNDS', 2);
const SECONDS = int('BENCH_SECONDS', 10);
const CONNECTIONS = int('BENCH_CONNECTIONS', 50);
const CUSTOMERS = int('BENCH_CUSTOMERS', 400);
const FLASH_STOCK = int('BENCH_FLASH_STOCK', 100);
const MANY_SKUS = int('BENCH_MANY_SKUS', 200);
const ONLY = (env.BENCH_SCENARIOS ?? 'a,b,c').split(',');
const ACCESS_SECRET = 'bench-access-secret-0123456789abcdefghij';
const ADMIN = { email: 'admin@bench.local', password: 'bench-admin-password-0123' };
const primaryUrl = `postgres://postgres@127.0.0.1:${PG_PORT}/${DB}`;
const replicaUrl = `postgres://postgres@127.0.0.1:${REPLICA_PORT}/${DB}`;
const say = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  attemptsPerSec: number;
  ordersPerSec: number;
  p50Ms: number;
  p99Ms: number;
  created: number;
  soldOut: number;
  other: number;
  errors: number;
}
interface Scenario {
  id: string;
  title: string;
  budget: string;
  subject: Run[];
  baseline: Run[];
  checks: string[];
  failed?: string;
}

function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

function appEnv(redisPort: number, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_PRIMARY_URL: primaryUrl,
    DATABASE_REPLICA_URLS: replicaUrl,
    QUEUE_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
    CACHE_REDIS_URL: `redis://127.0.0.1:${redisPort}/1`,
    QUEUE_PREFIX: 'bench',
    JWT_ACCESS_SECRET: ACCESS_SECRET,
    JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdefghij',
    PAYMENTS_WEBHOOK_SECRETS: 'bench-webhook-secret-0123456789abcdefghij',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...extra,
  };
}

async function sql<T extends pg.QueryResultRow>(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: primaryUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh database for every run: orders from an earlier run would skew nothing but counts. */
async function freshDatabase(): Promise<void> {
  if (['scaleshop', 'scaleshop_test'].includes(DB)) throw new Error(`refusing to bench ${DB}`);
  const admin = new pg.Client({ connectionString: primaryUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${DB}"`);
  await admin.end();
  const run = spawnSync(process.execPath, [`${DIST}/src/cli/migrate.js`], {
    env: { PATH: env.PATH ?? '', ...appEnv(6379, { LOG_LEVEL: 'warn' }) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`migrate failed:\n${run.stderr}`);
}

async function startNode(
  name: string,
  script: string,
  vars: Record<string, string>,
  health: string,
) {
  const port = await freePort();
  const child = Child.node(name, script, { ...vars, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await child.waitHttp(url + health, 60_000);
  return { child, url };
}

async function call<T>(url: string, init: { method?: string; token?: string; body?: unknown }) {
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

/** Customers inserted directly (hashing 400 passwords would measure argon2), with minted tokens. */
async function customers(count: number): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    `INSERT INTO identity.accounts (email, password_hash, role)
     SELECT 'bench-' || g || '-' || md5(random()::text) || '@bench.local', 'not-a-hash', 'customer'
       FROM generate_series(1, $1) g RETURNING id`,
    [count],
  );
  const exp = Math.floor(Date.now() / 1000) + 3_600;
  return rows.map((r) =>
    signHs256({ sub: r.id, role: 'customer', typ: 'access', exp }, ACCESS_SECRET),
  );
}

/** Creates a product with `skus.length` variants and sets their stock. */
async function stockedProduct(
  api: string,
  admin: string,
  skus: string[],
  onHand: number,
  hot: boolean,
) {
  await call(`${api}/api/v1/admin/products`, {
    method: 'POST',
    token: admin,
    body: {
      name: `Bench ${skus[0]}`,
      priceMinor: 1999,
      currency: 'EUR',
      status: 'active',
      variants: skus.map((sku) => ({ sku, priceMinor: 1999, options: { n: sku } })),
    },
  });
  for (const sku of skus) {
    await call(`${api}/api/v1/admin/inventory/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      token: admin,
      body: { onHand, hot },
    });
  }
}

/** One autocannon run of checkouts: every request a new Idempotency-Key, tokens and SKUs rotating. */
async function checkouts(base: string, tokens: string[], skus: string[]): Promise<Run> {
  const requests = tokens.map((token, i) => ({
    method: 'POST',
    path: '/api/v1/checkout',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': '[<id>]',
    },
    body: JSON.stringify({
      paymentMethod: 'pm_card_visa',
      items: [{ sku: skus[i % skus.length], quantity: 1 }],
    }),
  }));
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    timeout: 10,
    idReplacement: true,
    requests,
  });
  const codes = result.statusCodeStats ?? {};
  const count = (code: string) => codes[code]?.count ?? 0;
  const total = Object.values(codes).reduce((n, c) => n + c.count, 0);
  const created = count('201');
  const soldOut = count('409');
  return {
    attemptsPerSec: Math.round(total / SECONDS),
    ordersPerSec: Math.round(created / SECONDS),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    created,
    soldOut,
    other: total - created - soldOut,
    errors: result.errors + result.timeouts,
  };
}

const line = (side: string, r: Run) =>
  `  ${side.padEnd(9)} ${String(r.attemptsPerSec).padStart(6)} attempts/s ${String(r.ordersPerSec).padStart(5)} orders/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  201 ${r.created}  409 ${r.soldOut}  other ${r.other}  errors ${r.errors}`;

/** Units sold for `skus` in the API's own tables: orders placed, and stock taken. */
async function sold(skus: string[]) {
  const [orders] = await sql<{ n: number }>(
    `SELECT coalesce(sum(quantity), 0)::int AS n FROM ordering.order_lines WHERE sku = ANY($1)`,
    [skus],
  );
  const [stock] = await sql<{ negative: number }>(
    `SELECT count(*) FILTER (WHERE on_hand - reserved < 0)::int AS negative
       FROM inventory.stock WHERE sku = ANY($1)`,
    [skus],
  );
  return { ordered: orders.n, negative: stock.negative };
}

async function scenario(
  id: string,
  title: string,
  budget: string,
  body: (s: Scenario) => Promise<void>,
): Promise<Scenario> {
  const s: Scenario = { id, title, budget, subject: [], baseline: [], checks: [] };
  if (!ONLY.includes(id)) return s;
  say(`\n${id}. ${title} (budget: ${budget})`);
  try {
    await body(s);
  } catch (err) {
    s.failed = err instanceof Error ? err.message : String(err);
    say(`  failed: ${s.failed}`);
  }
  return s;
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  await freshDatabase();
  const redisPort = await freePort();
  await Child.redis(redisPort);
  const api = await startNode(
    'api',
    `${DIST}/src/main.js`,
    appEnv(redisPort, { ROLE: 'api' }),
    '/health/ready',
  );
  await startNode(
    'worker',
    `${DIST}/src/main.js`,
    appEnv(redisPort, {
      ROLE: 'worker',
      PAYMENTS_TEST_WEBHOOK_URL: `${api.url}/api/v1/payments/webhooks/test`,
    }),
    '/health/live',
  );
  const baseline = await startNode(
    'baseline',
    join(HERE, 'baselines/checkout-server.js'),
    { DATABASE_URL: primaryUrl, POOL_SIZE: '10' },
    '/health',
  );
  const admin = (
    await call<{ accessToken: string }>(`${api.url}/api/v1/auth/login`, {
      method: 'POST',
      body: ADMIN,
    })
  ).accessToken;
  const tokens = await customers(CUSTOMERS);
  say(
    `bench: ${DIST}, database ${DB}, ${CUSTOMERS} customers, ${CONNECTIONS} connections, ${SECONDS} s runs`,
  );

  const flash = (id: string, hot: boolean) =>
    scenario(
      id,
      `flash sale, one ${hot ? 'hot' : 'normal'} SKU, stock ${FLASH_STOCK}`,
      hot ? '≥ 1,000 attempts/s, 0 oversold' : 'none (compare with a)',
      async (s) => {
        for (let round = 1; round <= ROUNDS; round++) {
          const sku = `FLASH-${id}-${round}-${randomUUID().slice(0, 8)}`;
          await stockedProduct(api.url, admin, [sku], FLASH_STOCK, hot);
          const subject = await checkouts(api.url, tokens, [sku]);
          s.subject.push(subject);
          say(line('subject', subject));
          const { ordered, negative } = await sold([sku]);
          s.checks.push(
            `round ${round}: ${subject.created} × 201, ${ordered} units ordered of ${FLASH_STOCK}, ${negative} SKUs below zero`,
          );
          if (ordered > FLASH_STOCK || negative > 0 || ordered !== subject.created)
            throw new Error(`oversold or lost: ${s.checks.at(-1)}`);
          await call(`${baseline.url}/stock/${sku}`, {
            method: 'PUT',
            body: { available: FLASH_STOCK },
          });
          const base = await checkouts(baseline.url, tokens, [sku]);
          s.baseline.push(base);
          say(line('baseline', base));
        }
      },
    );

  const scenarios: Scenario[] = [];
  scenarios.push(await flash('a', true));
  scenarios.push(await flash('b', false));
  scenarios.push(
    await scenario(
      'c',
      `many SKUs (${MANY_SKUS}), stock never runs out`,
      '≥ 300 orders/s',
      async (s) => {
        for (let round = 1; round <= ROUNDS; round++) {
          const tag = `${round}-${randomUUID().slice(0, 6)}`;
          const skus = Array.from({ length: MANY_SKUS }, (_, i) => `MANY-${tag}-${i}`);
          for (let i = 0; i < skus.length; i += 20)
            await stockedProduct(api.url, admin, skus.slice(i, i + 20), 1_000_000, false);
          const subject = await checkouts(api.url, tokens, skus);
          s.subject.push(subject);
          say(line('subject', subject));
          for (const sku of skus)
            await call(`${baseline.url}/stock/${sku}`, {
              method: 'PUT',
              body: { available: 1_000_000 },
            });
          const base = await checkouts(baseline.url, tokens, skus);
          s.baseline.push(base);
          say(line('baseline', base));
        }
      },
    ),
  );

  const report = {
    startedAt,
    machine: { cpus: cpus().length, node: process.version, loadStart, loadEnd: loadavg() },
    config: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, customers: CUSTOMERS },
    scenarios,
  };
  await stopAll();
  const stamp = startedAt.replace(/[:.]/g, '-');
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `checkout-${stamp}.json`), JSON.stringify(report, null, 2));
  writeFileSync(join(dir, `checkout-${stamp}.md`), markdown(report.scenarios, startedAt));
  say(`\nwrote bench/results/checkout-${stamp}.md`);
  if (scenarios.some((s) => s.failed)) process.exitCode = 1;
}

function markdown(scenarios: Scenario[], startedAt: string): string {
  const mean = (runs: Run[], pick: (r: Run) => number) =>
    runs.length ? Math.round(runs.reduce((n, r) => n + pick(r), 0) / runs.length) : 0;
  const out = [
    `# Checkout bench, ${startedAt}`,
    '',
    `${cpus().length} CPUs, Node ${process.version}, ${ROUNDS} rounds × ${SECONDS} s, ${CONNECTIONS} connections.`,
    '',
    '| scenario | budget | API attempts/s | API orders/s | API p99 ms | baseline attempts/s | baseline p99 ms | ratio |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of scenarios) {
    if (!s.subject.length) {
      out.push(
        `| ${s.id}. ${s.title} | ${s.budget} | ${s.failed ? `failed: ${s.failed}` : 'skipped'} | | | | | |`,
      );
      continue;
    }
    const a = mean(s.subject, (r) => r.attemptsPerSec);
    const b = mean(s.baseline, (r) => r.attemptsPerSec);
    out.push(
      `| ${s.id}. ${s.title} | ${s.budget} | ${a} | ${mean(s.subject, (r) => r.ordersPerSec)} | ${mean(s.subject, (r) => r.p99Ms)} | ${b} | ${mean(s.baseline, (r) => r.p99Ms)} | ${b ? (a / b).toFixed(2) : '–'}× |`,
    );
  }
  out.push('', '## Checks', '');
  for (const s of scenarios) for (const c of s.checks) out.push(`- ${s.id}: ${c}`);
  return `${out.join('\n')}\n`;
}

process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
await main().catch(async (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  await stopAll();
  process.exitCode = 1;
});
