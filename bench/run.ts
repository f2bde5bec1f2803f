import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { serverVersion } from './lib/database.js';
import { stopAll } from './lib/processes.js';
import { summaryTable, writeReport, type BenchReport, type ScenarioResult } from './lib/report.js';
import { benchDatabase, say, servers, settings } from './lib/stack.js';
import { CATALOG_SCENARIOS, runCatalog } from './scenarios/catalog.js';
import { CHECKOUT_SCENARIOS, runCheckout } from './scenarios/checkout.js';

/**
 * `npm run bench -- <scenario>[,<scenario>…]` or `npm run bench -- all` (every scenario but the CI
 * smoke and the soak): the built app in production mode against bench databases, each scenario alternating
 * with its baseline, reports in bench/results/ (smoke: bench/results/smoke/). See README.md.
 */

/** Not in `all`: the CI smoke, and the 10-minute soak (it alone would take most of the budget). */
const APART = ['smoke', 'soak'];
const ALL = [...CATALOG_SCENARIOS, ...CHECKOUT_SCENARIOS].filter((s) => !APART.includes(s));
const USAGE = `usage: npm run bench -- <${[...ALL, ...APART, 'all'].join('|')}>[,…]`;

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (!arg) throw new Error(USAGE);
  const selected = arg === 'all' ? ALL : arg.split(',');
  const unknown = selected.filter((s) => !ALL.includes(s) && !APART.includes(s));
  if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')}\n${USAGE}`);
  const startedMs = Date.now();
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg();

  const results: ScenarioResult[] = [];
  const databases: string[] = [];
  for (const [names, suite] of [
    [CATALOG_SCENARIOS, runCatalog],
    [CHECKOUT_SCENARIOS, runCheckout],
  ] as const) {
    const mine = selected.filter((s) => names.includes(s));
    if (!mine.length) continue;
    try {
      const run = await suite(mine);
      results.push(...run.results);
      databases.push(run.database);
    } finally {
      await stopAll(); // each suite has its own Redis and servers
      servers.clear(); // stopped on purpose: no later scenario counts them as dead
    }
  }

  const report: BenchReport = {
    name: arg === 'all' || arg === 'smoke' ? arg : selected.join('+'),
    startedAt,
    durationS: (Date.now() - startedMs) / 1000,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: totalmem() / 2 ** 30,
      node: process.version,
      postgres: await serverVersion(benchDatabase(databases[0] ?? 'postgres')),
      loadAverageStart,
      loadAverageEnd: loadavg(),
    },
    config: {
      rounds: settings.rounds,
      seconds: settings.seconds,
      warmupSeconds: settings.warmupSeconds,
      connections: settings.connections,
    },
    databases,
    scenarios: results,
  };
  // Smoke runs are CI's: kept out of git so that CI leaves the tree clean.
  const dir = join(settings.root, arg === 'smoke' ? 'bench/results/smoke' : 'bench/results');
  const files = writeReport(report, dir);
  say(`\n${summaryTable(results).join('\n')}\n\nwrote ${files.md} and ${files.json}`);
  say(`took ${report.durationS.toFixed(0)} s`);
  if (results.some((s) => s.failed)) process.exitCode = 1;
}

process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
await main().catch(async (err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  await stopAll();
  process.exitCode = 1;
});
