import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { sampleProductIds } from '../lib/database.js';
import { alternate, gets } from '../lib/load.js';
import type { ScenarioResult } from '../lib/report.js';
import { abSeconds, scenario } from '../lib/scenario.js';
import {
  compare,
  heapOf,
  metric,
  say,
  settings,
  startNode,
  stopServer,
  type BenchDatabase,
  type Server,
} from '../lib/stack.js';
import { UsageTracker } from '../lib/usage.js';

/** The REST shop reads (cached detail, uncached list, search), each A/B against a bare server. */

export const HERE = dirname(dirname(fileURLToPath(import.meta.url)));
const SEARCHES = ['linen shirt', 'wireless headphones', 'yoga mat', 'cast iron pan'].concat(
  ['teddy bear', 'fountain pen', 'linnen shirt', 'hedphones'], // the last two need the fallback
);

export interface CatalogContext {
  db: BenchDatabase;
  worker: Server;
}

/** A/B of the API (with the worker) against `baseline` over `paths`, usage of both tracked. */
export async function abReads(
  result: ScenarioResult,
  api: Server,
  worker: Server,
  baseline: Server,
  requests: ReturnType<typeof gets>,
): Promise<void> {
  const subjectUsage = new UsageTracker([api.child, worker.child]);
  const baselineUsage = new UsageTracker([baseline.child]);
  const runs = await alternate(
    { base: api.url, requests: () => requests, usage: subjectUsage },
    { base: baseline.url, requests: () => requests, usage: baselineUsage },
    { ...settings, connections: settings.connections },
    say,
  );
  Object.assign(result, runs, {
    subjectUsage: subjectUsage.result(),
    baselineUsage: baselineUsage.result(),
    apiHeap: await heapOf(api.url),
  });
}

function cacheCounts(api: Server): Promise<number[]> {
  return Promise.all(
    ['hit', 'miss'].map((r) => metric(api.url, 'scaleshop_cache_requests_total', { result: r })),
  );
}

export async function cachedDetail(ctx: CatalogContext, api: Server): Promise<ScenarioResult> {
  const ids = await sampleProductIds(ctx.db, 100);
  const paths = ids.map((id) => `/api/v1/products/${id}`);
  return scenario(
    {
      id: 'cached-detail',
      title: 'cached product detail',
      measures:
        'GET /api/v1/products/:id over 100 products, every one a cache hit (filled before the runs), against a bare Fastify server sending the same bytes and ETag from a Map (bench/baselines/memory-server.ts).',
      subjectLabel: 'API, cache on',
      baselineLabel: 'Fastify, bytes in memory',
      sample: paths[0],
      requestCount: paths.length,
      budget: 0.7,
    },
    abSeconds(),
    async (result) => {
      const bytes: Record<string, { body: string; etag: string }> = {};
      for (const path of paths) {
        await fetch(api.url + path);
        const res = await fetch(api.url + path);
        if (res.headers.get('x-cache') !== 'HIT')
          result.notes.push(`${path} not a HIT when filled`);
        bytes[path] = { body: await res.text(), etag: res.headers.get('etag') ?? '' };
      }
      const scratch = mkdtempSync(join(tmpdir(), 'scaleshop-bench-'));
      const file = join(scratch, 'detail-bytes.json');
      writeFileSync(file, JSON.stringify(bytes));
      const baseline = await startNode(
        'memory-baseline',
        join(HERE, 'baselines/memory-server.js'),
        { BYTES_FILE: file },
        '/health',
      ).finally(() => rmSync(scratch, { recursive: true, force: true })); // read as it started
      Object.assign(result, await compare(api.url, baseline.url, paths[0]));
      const [hits, misses] = await cacheCounts(api);
      await abReads(result, api, ctx.worker, baseline, gets(paths));
      const [hits2, misses2] = await cacheCounts(api);
      result.notes.push(`cache under load: ${hits2 - hits} hits, ${misses2 - misses} misses`);
      await stopServer(baseline);
    },
  );
}

/** SQL statements the API runs per request for `path`, and where: `count` requests in a row. */
export async function statementsPerRequest(
  api: Server,
  count: number,
  send: () => Promise<Response>,
): Promise<{ note: string; perRequest: number }> {
  const queries = () => metric(api.url, 'scaleshop_db_queries_total');
  const onReplica = () => metric(api.url, 'scaleshop_db_queries_total', { target: 'replica' });
  const [all, replica] = [await queries(), await onReplica()];
  for (let i = 0; i < count; i++) await (await send()).text();
  const [all2, replica2] = [await queries(), await onReplica()];
  const perRequest = (all2 - all) / count;
  const note = `API SQL statements per request: ${perRequest.toFixed(2)}, ${replica2 - replica} of ${all2 - all} on the replica (${count} requests in a row)`;
  return { note, perRequest };
}

export async function uncachedList(
  ctx: CatalogContext,
  api: Server,
  baseline: Server,
): Promise<ScenarioResult> {
  const paths = ['/api/v1/products?limit=20'];
  return scenario(
    {
      id: 'uncached-list',
      title: 'uncached product list',
      measures:
        'GET /api/v1/products?limit=20 with CACHE_ENABLED=false (20 product documents with variants and prices, one indexed query on the replica), against a bare Fastify + pg server (bench/baselines/pg-server.ts) running one SQL statement (SELECT document … LIMIT 21) on the same replica and sending the same JSON, cursor included.',
      subjectLabel: 'API, cache off',
      baselineLabel: 'Fastify + pg, 1 SQL',
      sample: paths[0],
      requestCount: 1,
      budget: 1.0,
    },
    abSeconds(),
    async (result) => {
      Object.assign(result, await compare(api.url, baseline.url, paths[0]));
      const statements = await statementsPerRequest(api, 100, () => fetch(api.url + paths[0]));
      result.notes.push(statements.note);
      await abReads(result, api, ctx.worker, baseline, gets(paths));
    },
  );
}

export async function search(
  ctx: CatalogContext,
  api: Server,
  baseline: Server,
  hasSearchSql: boolean,
): Promise<ScenarioResult> {
  const paths = SEARCHES.map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`);
  const base = {
    id: 'search',
    title: 'search',
    measures:
      'GET /api/v1/search?q=… over 8 queries (6 full-text, 2 typos answered by the trigram fallback), cache off, against the bare Fastify + pg server running the app’s own search statement (search-query.js: same settings, same SQL, same JSON).',
    subjectLabel: 'API, cache off',
    baselineLabel: 'Fastify + pg, same SQL',
    sample: paths[0],
    requestCount: paths.length,
  };
  if ((await fetch(api.url + paths[0])).status === 404)
    return { ...base, skipped: 'no /api/v1/search in this build', notes: [] };
  if (!hasSearchSql)
    return { ...base, skipped: 'search-query.js has no usable searchSql to copy', notes: [] };
  return scenario(base, abSeconds(), async (result) => {
    Object.assign(result, await compare(api.url, baseline.url, paths[0]));
    result.notes.push((await statementsPerRequest(api, 20, () => fetch(api.url + paths[0]))).note);
    await abReads(result, api, ctx.worker, baseline, gets(paths));
  });
}

/** The app's built search module, when it exports what the baseline needs. */
export async function searchModule(): Promise<string | undefined> {
  const file = `${settings.dist}/src/modules/catalog/application/search-query.js`;
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const needed = ['searchSql', 'typoVariantsQuery', 'normalizeSearchText', 'searchWindow'];
  return needed.every((n) => typeof mod[n] === 'function') ? file : undefined;
}
