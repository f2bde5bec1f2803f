import { randomUUID } from 'node:crypto';
import type { Request } from 'autocannon';
import { sampleProductIds } from '../lib/database.js';
import { measure, summarise, type LoadRun } from '../lib/load.js';
import type { ScenarioResult } from '../lib/report.js';
import { scenario } from '../lib/scenario.js';
import { adminToken, checkoutRequest, customers, sql, stockedProduct } from '../lib/shop.js';
import { heapOf, say, settings, type Server } from '../lib/stack.js';
import { UsageTracker } from '../lib/usage.js';
import type { CatalogContext } from './catalog-reads.js';

/**
 * Browse-to-buy traffic in one autocannon run against the production API (cache on) and the
 * worker: every connection cycles through a weighted mix of list, detail, search and checkout.
 */

const MIX = { list: 6, detail: 8, search: 4, checkout: 2 };
const SKUS = 20;
const CUSTOMERS = 200;
const NO_RATIO =
  'the bare baselines are one process per route (memory server for details, pg server for list and search, checkout server for orders); no one of them serves this mix, and running all of them side by side would not be one comparable server. Absolute figures and the status counts per route only.';

/** How long the soak runs: DESIGN.md asks for no RSS growth over 10 minutes. */
const SOAK = {
  rounds: Number(process.env.BENCH_SOAK_ROUNDS ?? 10),
  seconds: Number(process.env.BENCH_SOAK_SECONDS ?? 60),
};
/** RSS growth from the end of the second round (warm) to the end of the last that still counts as flat. */
const SOAK_TOLERANCE = 0.1;

/** RSS of the API and the worker right now, in MB. */
function rssNow(api: Server, worker: Server): { api: number; worker: number } {
  const mb = (s: Server) => Math.round(s.child.memory()?.rssMb ?? 0);
  return { api: mb(api), worker: mb(worker) };
}

/**
 * The mix for `mixed` (settings.rounds × settings.seconds), or as `soak`: the same traffic for
 * SOAK.rounds × SOAK.seconds with the RSS of the API and the worker recorded after every round.
 */
export function mixed(
  ctx: CatalogContext,
  api: Server,
  kind: 'mixed' | 'soak' = 'mixed',
): Promise<ScenarioResult> {
  const total = Object.values(MIX).reduce((a, b) => a + b, 0);
  const soak = kind === 'soak';
  const rounds = soak ? SOAK.rounds : settings.rounds;
  const seconds = soak ? SOAK.seconds : settings.seconds;
  return scenario(
    {
      id: kind,
      title: soak
        ? `browse-to-buy mix for ${(rounds * seconds) / 60} minutes (memory soak)`
        : 'browse-to-buy mix',
      measures: `${soak ? `The mix below for ${rounds} rounds of ${seconds} s, RSS of the API and the worker taken after every round; flat means the last round's RSS is within ${SOAK_TOLERANCE * 100}% of the second round's (the first warms up). ` : ''}One autocannon run per round in which every connection cycles through ${total} requests: ${MIX.list} × GET /api/v1/products (4 page sizes), ${MIX.detail} × GET /api/v1/products/:id (from 100 products), ${MIX.search} × GET /api/v1/search, ${MIX.checkout} × POST /api/v1/checkout (buy-now of one unit of one of ${SKUS} SKUs with 1,000,000 in stock each, ${CUSTOMERS} customers with minted tokens, a fresh Idempotency-Key per request). The production API (cache on, as deployed) and the worker (payments, inventory, notifications).`,
      subjectLabel: 'API + worker, cache on',
      baselineLabel: '–',
      sample: 'GET /api/v1/products?limit=20 … POST /api/v1/checkout',
      requestCount: total * 10,
      noRatio: NO_RATIO,
      budgetText: soak ? 'no RSS growth over the soak' : 'none in DESIGN.md',
    },
    rounds * seconds + settings.warmupSeconds + 30,
    async (result) => {
      const admin = await adminToken(api.url);
      const tag = randomUUID().slice(0, 8);
      const skus = Array.from({ length: SKUS }, (_, i) => `MIX-${tag}-${i}`);
      await stockedProduct(api.url, admin, skus, 1_000_000, false);
      const tokens = await customers(ctx.db, CUSTOMERS);
      const ids = await sampleProductIds(ctx.db, 100);
      const perRoute = new Map<string, Record<string, number>>();
      const counted = (route: string, r: Request): Request => ({
        ...r,
        onResponse: (status) => {
          const codes = perRoute.get(route) ?? {};
          perRoute.set(route, codes);
          codes[status] = (codes[status] ?? 0) + 1;
        },
      });
      const queries = ['linen shirt', 'yoga mat', 'teddy bear', 'hedphones'];
      const limits = [20, 12, 24, 48];
      // The mix repeated 10 times over different products, customers and SKUs, so that every
      // connection's cycle spreads over them.
      const requests = (round: number): Request[] => {
        const list: Request[] = [];
        for (let i = 0; i < total * 10; i++) {
          const k = i + round * total * 10;
          if (i % 10 < 3)
            list.push(
              counted('list', { method: 'GET', path: `/api/v1/products?limit=${limits[k % 4]}` }),
            );
          else if (i % 10 < 7)
            list.push(
              counted('detail', { method: 'GET', path: `/api/v1/products/${ids[k % ids.length]}` }),
            );
          else if (i % 10 < 9)
            list.push(
              counted('search', {
                method: 'GET',
                path: `/api/v1/search?q=${encodeURIComponent(queries[k % 4])}`,
              }),
            );
          else
            list.push(
              counted('checkout', checkoutRequest(tokens[k % tokens.length], skus[k % SKUS])),
            );
        }
        return list;
      };
      const usage = new UsageTracker([api.child, ctx.worker.child]);
      const side = { base: api.url, requests, usage };
      const options = { seconds, connections: settings.connections };
      const warmup = { base: api.url, requests };
      await measure(warmup, 0, { ...options, seconds: settings.warmupSeconds }, say, 'warm-up');
      perRoute.clear(); // the warm-up's answers are not counted
      const runs: LoadRun[] = [];
      const rss: { api: number; worker: number }[] = [];
      for (let round = 1; round <= rounds; round++) {
        runs.push(await measure(side, round, options, say));
        rss.push(rssNow(api, ctx.worker));
        if (soak)
          say(
            `  RSS after round ${round}: api ${rss.at(-1)?.api} MB, worker ${rss.at(-1)?.worker} MB`,
          );
      }
      const [orders] = await sql<{ n: number }>(
        ctx.db,
        `SELECT count(DISTINCT order_id)::int AS n FROM ordering.order_lines WHERE sku = ANY($1)`,
        [skus],
      );
      Object.assign(result, {
        subject: summarise(runs),
        subjectUsage: usage.result(),
        apiHeap: await heapOf(api.url),
      });
      for (const [route, codes] of perRoute) {
        const text = Object.entries(codes)
          .map(([code, n]) => `${code}×${n}`)
          .join(' ');
        result.notes.push(`${route}: ${text}`);
      }
      result.notes.push(
        `orders in the database for the mix's SKUs (warm-up included): ${orders.n}`,
      );
      result.notes.push(
        `RSS after each round (MB): api ${rss.map((r) => r.api).join(', ')}; worker ${rss.map((r) => r.worker).join(', ')}`,
      );
      if (soak && rss.length >= 3) {
        const [warm, last] = [rss[1], rss[rss.length - 1]];
        const grew = (a: number, b: number) => b > a * (1 + SOAK_TOLERANCE);
        const verdict = (name: 'api' | 'worker') =>
          `${name} ${warm[name]} → ${last[name]} MB ${grew(warm[name], last[name]) ? '**grew**' : 'flat'}`;
        result.budgetText = `no RSS growth: ${verdict('api')}, ${verdict('worker')}`;
      }
      const bad = [...perRoute].filter(([, codes]) =>
        Object.keys(codes).some((c) => Number(c) >= 500),
      );
      if (bad.length)
        throw new Error(`5xx answers under the mix: ${bad.map(([r]) => r).join(', ')}`);
    },
  );
}
