import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alternate } from './lib/load.js';
import { prepareDatabase, sampleProductIds, serverVersion } from './lib/database.js';
import { Child, freePort, stopAll } from './lib/processes.js';
import { writeReport, type BenchReport, type Memory, type ScenarioResult } from './lib/report.js';

/**
 * Catalog load test: the API (built JS, production mode, ROLE=api, replica configured) and a
 * ROLE=worker against a 100k-product database, each scenario A/B against a bare baseline server
 * in alternating rounds. Writes bench/results/catalog-<timestamp>.json and .md. See README.md.
 */

const env = process.env;
const int = (name: string, fallback: number) => Number(env[name] ?? fallback);
const ROOT = process.cwd();
const DIST = resolve(ROOT, env.SCALESHOP_DIST ?? 'dist');
const HERE = dirname(fileURLToPath(import.meta.url));
const DB = env.BENCH_DB ?? 'scaleshop_perf';
const PG_PORT = int('PG_PORT', 5432);
const REPLICA_PORT = int('REPLICA_PORT', 5433);
const ROUNDS = int('BENCH_ROUNDS', 3);
const SECONDS = int('BENCH_SECONDS', 10);
const WARMUP_SECONDS = int('BENCH_WARMUP_SECONDS', 3);
const CONNECTIONS = int('BENCH_CONNECTIONS', 20);
const PRODUCTS = int('BENCH_PRODUCTS', 100_000);
const MAX_SECONDS = int('BENCH_MAX_SECONDS', 570);
const ONLY = (env.BENCH_SCENARIOS ?? 'a,b,c').split(',');
const CURSOR_SECRET = 'bench-cursor-secret-0123456789abcdefgh';
const SEARCHES = ['linen shirt', 'wireless headphones', 'yoga mat', 'cast iron pan'].concat(
  ['teddy bear', 'fountain pen', 'linnen shirt', 'hedphones'], // the last two need the fallback
);

const say = (line: string) => process.stdout.write(`${line}\n`);
const db = {
  name: DB,
  primaryUrl: `postgres://postgres@127.0.0.1:${PG_PORT}/${DB}`,
  replicaUrl: `postgres://postgres@127.0.0.1:${REPLICA_PORT}/${DB}`,
};
const load = { seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS };
const startedMs = Date.now();
const scenarioSeconds = ROUNDS * 2 * SECONDS + 2 * WARMUP_SECONDS + 15;

interface Server {
  child: Child;
  url: string;
}
/** Servers started for the scenarios: one that dies mid-run fails the scenario it was in. */
const servers = new Set<Server>();

function appEnv(redisPort: number, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_PRIMARY_URL: db.primaryUrl,
    DATABASE_REPLICA_URLS: db.replicaUrl,
    QUEUE_REDIS_URL: `redis://127.0.0.1:${redisPort}/0`,
    CACHE_REDIS_URL: `redis://127.0.0.1:${redisPort}/1`,
    QUEUE_PREFIX: 'bench',
    JWT_ACCESS_SECRET: 'bench-access-secret-0123456789abcdefghij',
    JWT_REFRESH_SECRET: 'bench-refresh-secret-0123456789abcdefghij',
    PAYMENTS_WEBHOOK_SECRETS: 'bench-webhook-secret-0123456789abcdefghij',
    CURSOR_SECRET,
    // Entries must outlive the scenario: a cached read is measured, not expiry.
    CACHE_TTL_MS: '600000',
    ...extra,
  };
}

/** Starts a Node server on a free port and waits until `health` answers 200. */
async function startNode(
  name: string,
  script: string,
  vars: Record<string, string>,
  health = '/health/live',
): Promise<Server> {
  const port = await freePort();
  const child = Child.node(name, script, { ...vars, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  await child.waitHttp(url + health);
  const server = { child, url };
  servers.add(server);
  return server;
}

/** Stops a server on purpose (it no longer counts as having died). */
async function stopServer(server: Server): Promise<void> {
  servers.delete(server);
  await server.child.stop();
}

async function startApp(name: string, vars: Record<string, string>): Promise<Server> {
  const server = await startNode(name, `${DIST}/src/main.js`, vars);
  // Ready means the replica router is up, so reads go where they will go in production.
  await server.child.waitHttp(`${server.url}/health/ready`);
  return server;
}

/** RSS of `child` before the load and the highest sampled under it, plus the kernel's peak. */
function memoryTracker(child: Child) {
  const idle = child.memory()?.rssMb ?? 0;
  let max = idle;
  return {
    sample: () => (max = Math.max(max, child.memory()?.rssMb ?? 0)),
    result: (): Memory => ({
      idleRssMb: idle,
      maxRssMb: max,
      peakMb: child.memory()?.peakMb ?? max,
    }),
  };
}

/** The API's V8 heap and external memory as its default process metrics report them. */
async function heapOf(url: string): Promise<Memory['heap']> {
  const mb = async (name: string) => (await metric(url, name)) / 2 ** 20;
  return {
    usedMb: await mb('nodejs_heap_size_used_bytes'),
    totalMb: await mb('nodejs_heap_size_total_bytes'),
    externalMb: await mb('nodejs_external_memory_bytes'),
  };
}

/** Sum of a Prometheus metric's samples whose labels include `labels`. */
async function metric(url: string, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let sum = 0;
  for (const m of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
    const have = m[1] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) sum += Number(m[2]);
  }
  return sum;
}

/** Compares the two servers' answers to `path`: byte for byte, and as parsed JSON. */
async function compare(a: string, b: string, path: string) {
  const [x, y] = await Promise.all([fetch(a + path), fetch(b + path)]);
  const [tx, ty] = await Promise.all([x.text(), y.text()]);
  const json = (t: string) => JSON.stringify(JSON.parse(t));
  return { sameBytes: tx === ty, sameJson: json(tx) === json(ty) };
}

/** Runs `body` unless the time budget is spent; a skipped scenario says why. */
async function scenario(
  base: Omit<ScenarioResult, 'notes'>,
  body: (result: ScenarioResult) => Promise<void>,
): Promise<ScenarioResult> {
  const result: ScenarioResult = { ...base, notes: [] };
  if (!ONLY.includes(base.id)) {
    result.skipped = 'not selected (BENCH_SCENARIOS)';
    return result;
  }
  if ((Date.now() - startedMs) / 1000 + scenarioSeconds > MAX_SECONDS) {
    result.skipped = `time budget of ${MAX_SECONDS} s`;
    return result;
  }
  say(`\n${base.id}. ${base.title}`);
  try {
    await body(result);
  } catch (err) {
    // Reported, not swallowed: the scenario is marked failed and the run exits non-zero.
    result.failed = err instanceof Error ? err.message : String(err);
    say(`  failed: ${result.failed}`);
    return result;
  }
  const dead = [...servers].filter((s) => s.child.exitCode !== undefined);
  for (const s of dead) {
    result.failed = `${s.child.name} exited (${s.child.exitCode}) during the runs`;
    result.notes.push(`${s.child.name} output: ${s.child.logs.slice(-500)}`);
  }
  if (result.subject && result.baseline && !result.failed) {
    result.ratio = result.subject.requestsPerSec / result.baseline.requestsPerSec;
    say(`  ratio ${result.ratio.toFixed(2)}× (budget ${result.budget ?? 'none'})`);
  }
  return result;
}

async function cachedDetail(api: Server): Promise<ScenarioResult> {
  const ids = await sampleProductIds(db, 100);
  const paths = ids.map((id) => `/api/v1/products/${id}`);
  return scenario(
    {
      id: 'a',
      title: 'cached product detail',
      measures:
        'GET /api/v1/products/:id over 100 products, every one a cache hit (filled before the runs), against a bare Fastify server sending the same bytes and ETag from a Map.',
      subjectLabel: 'API, cache on',
      baselineLabel: 'Fastify, bytes in memory',
      paths,
      budget: 0.7,
    },
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
      const memory = memoryTracker(api.child);
      const baseMemory = memoryTracker(baseline.child);
      const runs = await alternate(
        { base: api.url, paths, sample: memory.sample },
        { base: baseline.url, paths, sample: baseMemory.sample },
        ROUNDS,
        load,
        say,
      );
      const [hits2, misses2] = await cacheCounts(api);
      result.notes.push(`cache under load: ${hits2 - hits} hits, ${misses2 - misses} misses`);
      Object.assign(result, runs, {
        apiMemory: { ...memory.result(), heap: await heapOf(api.url) },
        baselineMemory: baseMemory.result(),
      });
      await stopServer(baseline);
    },
  );
}

/** SQL statements the API runs per request for `path`, and where: `count` requests in a row. */
async function statementsPerRequest(api: Server, path: string, count: number): Promise<string> {
  const queries = () => metric(api.url, 'scaleshop_db_queries_total');
  const onReplica = () => metric(api.url, 'scaleshop_db_queries_total', { target: 'replica' });
  const [all, replica] = [await queries(), await onReplica()];
  for (let i = 0; i < count; i++) await (await fetch(api.url + path)).text();
  const [all2, replica2] = [await queries(), await onReplica()];
  return `API SQL statements per request: ${((all2 - all) / count).toFixed(2)}, ${replica2 - replica} of ${all2 - all} on the replica (${count} requests in a row)`;
}

function cacheCounts(api: Server): Promise<number[]> {
  return Promise.all(
    ['hit', 'miss'].map((r) => metric(api.url, 'scaleshop_cache_requests_total', { result: r })),
  );
}

async function uncachedList(api: Server, baseline: Server): Promise<ScenarioResult> {
  const paths = ['/api/v1/products?limit=20'];
  return scenario(
    {
      id: 'b',
      title: 'uncached product list',
      measures:
        'GET /api/v1/products?limit=20 with CACHE_ENABLED=false (20 product documents with variants and prices, one indexed query on the replica), against a bare Fastify + pg server running one SQL statement (SELECT document … LIMIT 21) on the same replica and sending the same JSON, cursor included.',
      subjectLabel: 'API, cache off',
      baselineLabel: 'Fastify + pg, 1 SQL',
      paths,
      budget: 1.0,
    },
    async (result) => {
      Object.assign(result, await compare(api.url, baseline.url, paths[0]));
      result.notes.push(await statementsPerRequest(api, paths[0], 100));
      const memory = memoryTracker(api.child);
      const baseMemory = memoryTracker(baseline.child);
      const runs = await alternate(
        { base: api.url, paths, sample: memory.sample },
        { base: baseline.url, paths, sample: baseMemory.sample },
        ROUNDS,
        load,
        say,
      );
      Object.assign(result, runs, {
        apiMemory: { ...memory.result(), heap: await heapOf(api.url) },
        baselineMemory: baseMemory.result(),
      });
    },
  );
}

async function search(api: Server, baseline: Server | undefined): Promise<ScenarioResult> {
  const paths = SEARCHES.map((q) => `/api/v1/search?q=${encodeURIComponent(q)}`);
  const base = {
    id: 'c',
    title: 'search',
    measures:
      'GET /api/v1/search?q=… over 8 queries (6 full-text, 2 typos answered by the trigram fallback), cache off, against a bare Fastify + pg server running the app’s own search statement (search-query.js: same settings, same SQL, same JSON).',
    subjectLabel: 'API, cache off',
    baselineLabel: 'Fastify + pg, same SQL',
    paths,
  };
  const probe = await fetch(api.url + paths[0]);
  if (probe.status === 404)
    return { ...base, skipped: 'no /api/v1/search in this build', notes: [] };
  if (!baseline) {
    return { ...base, skipped: 'search-query.js has no usable searchSql to copy', notes: [] };
  }
  return scenario(base, async (result) => {
    Object.assign(result, await compare(api.url, baseline.url, paths[0]));
    result.notes.push(await statementsPerRequest(api, paths[0], 20));
    const memory = memoryTracker(api.child);
    const baseMemory = memoryTracker(baseline.child);
    const runs = await alternate(
      { base: api.url, paths, sample: memory.sample },
      { base: baseline.url, paths, sample: baseMemory.sample },
      ROUNDS,
      load,
      say,
    );
    Object.assign(result, runs, {
      apiMemory: { ...memory.result(), heap: await heapOf(api.url) },
      baselineMemory: baseMemory.result(),
    });
  });
}

/** The app's built search module, when it exports what the baseline needs. */
async function searchModule(): Promise<string | undefined> {
  const file = `${DIST}/src/modules/catalog/application/search-query.js`;
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const needed = ['searchSql', 'typoVariantsQuery', 'normalizeSearchText', 'searchWindow'];
  return needed.every((n) => typeof mod[n] === 'function') ? file : undefined;
}

async function main(): Promise<void> {
  if (['scaleshop', 'scaleshop_test'].includes(DB)) throw new Error(`refusing to bench ${DB}`);
  if (!existsSync(`${DIST}/src/main.js`)) throw new Error(`no build in ${DIST}: npm run build`);
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg();
  const redisPort = await freePort();
  await Child.redis(redisPort);
  say(`bench: build ${DIST}, database ${DB}, private redis on ${redisPort}`);
  const prepared = await prepareDatabase(db, DIST, appEnv(redisPort), PRODUCTS, say);
  const worker = await startNode(
    'worker',
    `${DIST}/src/main.js`,
    appEnv(redisPort, { ROLE: 'worker' }),
  );
  const workerStart = worker.child.memory()?.rssMb ?? 0;

  const scenarios: ScenarioResult[] = [];
  if (ONLY.includes('a')) {
    const cached = await startApp('api', appEnv(redisPort, { ROLE: 'api' }));
    scenarios.push(await cachedDetail(cached));
    await stopServer(cached);
  }

  const api = await startApp('api', appEnv(redisPort, { ROLE: 'api', CACHE_ENABLED: 'false' }));
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
  scenarios.push(await uncachedList(api, baseline));
  scenarios.push(await search(api, searchFile ? baseline : undefined));

  const report: BenchReport = {
    startedAt,
    durationS: (Date.now() - startedMs) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: totalmem() / 2 ** 30,
      node: process.version,
      postgres: await serverVersion(db),
      loadAverageStart,
      loadAverageEnd: loadavg(),
    },
    config: { rounds: ROUNDS, seconds: SECONDS, connections: CONNECTIONS, database: DB },
    database: prepared,
    scenarios,
    worker: { startRssMb: workerStart, endRssMb: worker.child.memory()?.rssMb ?? 0 },
  };
  await stopAll();
  const files = writeReport(report, join(ROOT, 'bench/results'));
  say(`\nwrote ${files.md} and ${files.json}`);
  if (scenarios.some((s) => s.failed)) process.exitCode = 1;
}

process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
await main().catch(async (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  await stopAll();
  process.exitCode = 1;
});
