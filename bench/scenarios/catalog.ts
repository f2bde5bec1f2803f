import { join } from 'node:path';
import { prepareDatabase } from '../lib/database.js';
import type { ScenarioResult } from '../lib/report.js';
import {
  appEnv,
  benchDatabase,
  CURSOR_SECRET,
  privateRedis,
  say,
  settings,
  startApi,
  startNode,
  startWorker,
  stopServer,
} from '../lib/stack.js';
import { cachedDetail, HERE, search, searchModule, uncachedList } from './catalog-reads.js';
import { graphql } from './graphql.js';
import { mixed } from './mixed.js';
import { scaleOut } from './scale-out.js';

/** Scenarios over the 100k-product catalogue, in the order they run. */
export const CATALOG_SCENARIOS = [
  'cached-detail',
  'mixed',
  'uncached-list',
  'search',
  'graphql',
  'scale-out',
  'soak',
];

/**
 * The catalogue suite: a private Redis, the seeded `scaleshop_perf` database, one worker for the
 * whole suite, the production API with its cache on (cached detail, the mix), then with the cache
 * off next to the bare pg baseline (list, search, GraphQL), then the scale-out through nginx.
 */
export async function runCatalog(selected: string[]): Promise<{
  results: ScenarioResult[];
  database: string;
}> {
  const db = benchDatabase(process.env.BENCH_DB ?? 'scaleshop_perf');
  const products = Number(process.env.BENCH_PRODUCTS ?? 100_000);
  const redisPort = await privateRedis();
  say(`catalog: build ${settings.dist}, database ${db.name}, private redis on ${redisPort}`);
  const prepared = await prepareDatabase(db, settings.dist, appEnv(db, redisPort), products, say);
  say(`${prepared.products} product documents (${prepared.activeProducts} active)`);
  const has = (id: string) => selected.includes(id);
  const results: ScenarioResult[] = [];

  // The cache-on API stays up: the worker delivers test payment webhooks to it.
  const cached = await startApi('api', db, redisPort);
  const worker = await startWorker(db, redisPort, cached);
  const ctx = { db, worker };
  if (has('cached-detail')) results.push(await cachedDetail(ctx, cached));
  if (has('mixed')) results.push(await mixed(ctx, cached));
  if (has('soak')) results.push(await mixed(ctx, cached, 'soak'));

  if (has('uncached-list') || has('search') || has('graphql')) {
    const api = await startApi('api-uncached', db, redisPort, { CACHE_ENABLED: 'false' });
    const searchFile = await searchModule();
    const baseline = await startNode(
      'pg-baseline',
      join(HERE, 'baselines/pg-server.js'),
      {
        DATABASE_URL: db.replicaUrl,
        POOL_SIZE: '10', // the API's DB_POOL_SIZE default, per replica
        CURSOR_SECRET,
        ...(searchFile ? { SEARCH_MODULE: searchFile } : {}),
      },
      '/health',
    );
    if (has('uncached-list')) results.push(await uncachedList(ctx, api, baseline));
    if (has('search')) results.push(await search(ctx, api, baseline, searchFile !== undefined));
    if (has('graphql')) results.push(await graphql(ctx, api, baseline));
    await stopServer(baseline);
    await stopServer(api);
  }
  if (has('scale-out')) results.push(await scaleOut(ctx, redisPort));
  return { results, database: db.name };
}
