import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { alternate, type LoadRun, type LoadSummary, type Side } from '../lib/load.js';
import type { ScenarioResult } from '../lib/report.js';
import { scenario, type ScenarioBase } from '../lib/scenario.js';
import { adminToken, checkoutRequest, customers, sql, stockedProduct } from '../lib/shop.js';
import {
  appEnv,
  benchDatabase,
  call,
  heapOf,
  privateRedis,
  say,
  settings,
  startApi,
  startNode,
  startWorker,
  type BenchDatabase,
  type Server,
} from '../lib/stack.js';
import { UsageTracker } from '../lib/usage.js';
import { HERE } from './catalog-reads.js';

/**
 * Checkout under load (DESIGN.md: flash sale on one hot SKU ≥ 1,000 attempts/s, each an order or
 * a clean 409, 0 oversold; many SKUs ≥ 300 completed orders/s): the API and a worker against a
 * fresh database, each scenario alternating with a bare Fastify + pg server that sells the same
 * stock with one conditional UPDATE (bench/baselines/checkout-server.ts).
 */

export const CHECKOUT_SCENARIOS = ['flash-sale', 'many-skus', 'smoke'];
const env = process.env;
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 400);
const FLASH_STOCK = Number(env.BENCH_FLASH_STOCK ?? 100);
const MANY_SKUS = Number(env.BENCH_MANY_SKUS ?? 200);

interface Stack {
  db: BenchDatabase;
  api: Server;
  worker: Server;
  baseline: Server;
  admin: string;
  tokens: string[];
}

/** A fresh database for every run: orders from an earlier run would skew nothing but counts. */
async function freshDatabase(db: BenchDatabase): Promise<void> {
  const admin = new pg.Client({ connectionString: db.primaryUrl.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${db.name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${db.name}"`);
  await admin.end();
  const run = spawnSync(process.execPath, [`${settings.dist}/src/cli/migrate.js`], {
    env: { PATH: env.PATH ?? '', ...appEnv(db, 6379) },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (run.status !== 0) throw new Error(`migrate failed:\n${run.stderr}`);
}

const count = (run: LoadRun | LoadSummary, code: string) => run.statusCodes[code] ?? 0;
/** Answers that are neither an order (201) nor a clean sold-out (409). */
const others = (run: LoadRun | LoadSummary) => run.requests - count(run, '201') - count(run, '409');

/** Units sold for `skus` in the API's own tables: orders placed, and stock below zero. */
async function sold(db: BenchDatabase, skus: string[]) {
  const [orders] = await sql<{ n: number }>(
    db,
    `SELECT coalesce(sum(quantity), 0)::int AS n FROM ordering.order_lines WHERE sku = ANY($1)`,
    [skus],
  );
  const [stock] = await sql<{ negative: number }>(
    db,
    `SELECT count(*) FILTER (WHERE on_hand - reserved < 0)::int AS negative
       FROM inventory.stock WHERE sku = ANY($1)`,
    [skus],
  );
  return { ordered: orders.n, negative: stock.negative };
}

/** A/B of checkouts; `stock(round)` stocks both sides and returns the round's SKUs. */
async function abCheckouts(
  stack: Stack,
  result: ScenarioResult,
  rounds: number,
  seconds: number,
  stock: (round: number) => Promise<string[]>,
  check?: (round: number, run: LoadRun, skus: string[]) => Promise<void>,
): Promise<void> {
  let skus: string[] = [];
  const requests = (list: string[]) =>
    stack.tokens.map((t, i) => checkoutRequest(t, list[i % list.length]));
  const subjectUsage = new UsageTracker([stack.api.child, stack.worker.child]);
  const baselineUsage = new UsageTracker([stack.baseline.child]);
  const subject: Side = {
    base: stack.api.url,
    requests: async (round) => requests((skus = await stock(round))),
    check: check ? (round, run) => check(round, run, skus) : undefined,
    usage: subjectUsage,
  };
  const baseline: Side = {
    base: stack.baseline.url,
    requests: () => requests(skus),
    usage: baselineUsage,
  };
  const options = {
    ...settings,
    rounds,
    seconds,
    warmupSeconds: 0, // a warm-up would sell the stock the rounds measure
    connections: settings.checkoutConnections,
  };
  Object.assign(result, await alternate(subject, baseline, options, say), {
    subjectUsage: subjectUsage.result(),
    baselineUsage: baselineUsage.result(),
    apiHeap: await heapOf(stack.api.url),
  });
}

function flashSale(stack: Stack, hot: boolean, id: string, rounds: number, seconds: number) {
  const base: ScenarioBase = {
    id,
    title: `flash sale, one ${hot ? 'hot' : 'normal'} SKU, stock ${FLASH_STOCK}`,
    measures: `POST /api/v1/checkout (buy-now of one unit, ${CUSTOMERS} customers with minted tokens rotating, a fresh Idempotency-Key per request, ${settings.checkoutConnections} connections) on one ${hot ? 'SKU marked hot (Redis stock gate)' : 'normal SKU'} with ${FLASH_STOCK} in stock, a new SKU per round: nearly every attempt is a 409 sold-out. After each API round the orders in the database are counted against the stock (oversold fails the scenario). Baseline: the bare Fastify + pg checkout server on the primary selling the same stock with one conditional UPDATE.`,
    subjectLabel: 'API + worker',
    baselineLabel: 'Fastify + pg, 1 UPDATE',
    sample: 'POST /api/v1/checkout',
    requestCount: CUSTOMERS,
    budgetText: hot ? '≥ 1,000 attempts/s, 0 oversold' : 'none (compare with the hot SKU)',
  };
  return scenario(base, rounds * 2 * seconds + 20, async (result) => {
    await abCheckouts(
      stack,
      result,
      rounds,
      seconds,
      async (round) => {
        const sku = `FLASH-${hot ? 'H' : 'N'}-${round}-${randomUUID().slice(0, 8)}`;
        await stockedProduct(stack.api.url, stack.admin, [sku], FLASH_STOCK, hot);
        await call(`${stack.baseline.url}/stock/${sku}`, {
          method: 'PUT',
          body: { available: FLASH_STOCK },
        });
        return [sku];
      },
      async (round, run, skus) => {
        const { ordered, negative } = await sold(stack.db, skus);
        const line = `round ${round}: ${count(run, '201')} × 201, ${ordered} units ordered of ${FLASH_STOCK}, ${negative} SKUs below zero, ${others(run)} answers neither 201 nor 409, ${run.errors} socket errors/timeouts`;
        result.notes.push(line);
        if (ordered > FLASH_STOCK || negative > 0 || ordered !== count(run, '201'))
          throw new Error(`oversold or lost: ${line}`);
        if (run.errors > 0 || others(run) > 0) throw new Error(`requests failed: ${line}`);
      },
    );
    if (hot && result.subject) {
      const met = result.subject.requestsPerSec >= 1000 ? 'met' : 'missed';
      result.budgetText = `≥ 1,000 attempts/s **${met}**, 0 oversold **met**`;
    }
  });
}

function manySkus(stack: Stack) {
  const base: ScenarioBase = {
    id: 'many-skus',
    title: `many SKUs (${MANY_SKUS}), stock never runs out`,
    measures: `POST /api/v1/checkout over ${MANY_SKUS} SKUs with 1,000,000 in stock each (new SKUs per round), ${CUSTOMERS} customers rotating, ${settings.checkoutConnections} connections: every attempt should be an order. Baseline: the bare checkout server on the same SKUs.`,
    subjectLabel: 'API + worker',
    baselineLabel: 'Fastify + pg, 1 UPDATE',
    sample: 'POST /api/v1/checkout',
    requestCount: CUSTOMERS,
    budgetText: '≥ 300 orders/s',
  };
  return scenario(base, settings.rounds * 2 * settings.seconds + 40, async (result) => {
    await abCheckouts(stack, result, settings.rounds, settings.seconds, async (round) => {
      const tag = `${round}-${randomUUID().slice(0, 6)}`;
      const skus = Array.from({ length: MANY_SKUS }, (_, i) => `MANY-${tag}-${i}`);
      for (let i = 0; i < skus.length; i += 20)
        await stockedProduct(stack.api.url, stack.admin, skus.slice(i, i + 20), 1_000_000, false);
      for (const sku of skus)
        await call(`${stack.baseline.url}/stock/${sku}`, {
          method: 'PUT',
          body: { available: 1_000_000 },
        });
      return skus;
    });
    if (result.subject) {
      const orders = count(result.subject, '201') / (settings.rounds * settings.seconds);
      result.notes.push(`API: ${orders.toFixed(0)} completed orders/s (201)`);
      result.budgetText = `≥ 300 orders/s **${orders >= 300 ? 'met' : 'missed'}** (${orders.toFixed(0)})`;
    }
  });
}

/** The checkout suite; `smoke` is the hot flash sale, 1 round of 5 s + 5 s, for CI. */
export async function runCheckout(selected: string[]): Promise<{
  results: ScenarioResult[];
  database: string;
}> {
  const db = benchDatabase(env.BENCH_CHECKOUT_DB ?? 'scaleshop_bench_checkout');
  await freshDatabase(db);
  const redisPort = await privateRedis();
  const api = await startApi('api', db, redisPort);
  const worker = await startWorker(db, redisPort, api);
  const baseline = await startNode(
    'checkout-baseline',
    join(HERE, 'baselines/checkout-server.js'),
    { DATABASE_URL: db.primaryUrl, POOL_SIZE: '10' },
    '/health',
  );
  const stack = {
    db,
    api,
    worker,
    baseline,
    admin: await adminToken(api.url),
    tokens: await customers(db, CUSTOMERS),
  };
  say(`checkout: database ${db.name}, ${CUSTOMERS} customers, private redis on ${redisPort}`);
  const results: ScenarioResult[] = [];
  const { rounds, seconds } = settings;
  if (selected.includes('flash-sale')) {
    results.push(await flashSale(stack, true, 'flash-sale (hot SKU)', rounds, seconds));
    results.push(await flashSale(stack, false, 'flash-sale (normal SKU)', rounds, seconds));
  }
  if (selected.includes('many-skus')) results.push(await manySkus(stack));
  if (selected.includes('smoke')) results.push(await flashSale(stack, true, 'smoke', 1, 5));
  return { results, database: db.name };
}
