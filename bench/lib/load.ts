import autocannon, { type Request } from 'autocannon';
import type { UsageTracker } from './usage.js';

/** One autocannon run, reduced to what the report compares. */
export interface LoadRun {
  requestsPerSec: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors and timeouts. */
  errors: number;
  non2xx: number;
  requests: number;
  /** Responses per HTTP status ("201": 120, "409": 4000). */
  statusCodes: Record<string, number>;
}

/** Several runs of one side: mean throughput, median latencies, summed counts. */
export interface LoadSummary extends LoadRun {
  runs: LoadRun[];
}

export interface LoadOptions {
  seconds: number;
  connections: number;
}

/** GET requests for `paths`. */
export const gets = (paths: string[]): Request[] => paths.map((path) => ({ method: 'GET', path }));

/**
 * `connections` keep-alive connections against `base` for `seconds`, each cycling through
 * `requests` (so every server sees the same mix); `[<id>]` in headers and bodies becomes a fresh id
 * per request. Never longer than seconds + 10 s.
 */
export async function load(
  base: string,
  requests: Request[],
  options: LoadOptions,
): Promise<LoadRun> {
  const result = await autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    idReplacement: true,
    requests,
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
  );
  const answered = Object.values(statusCodes).reduce((n, c) => n + c, 0);
  return {
    // Answers per second over the whole run, as the checkout runner always counted them.
    requestsPerSec: round(answered / options.seconds),
    meanMs: round(result.latency.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: answered,
    statusCodes,
  };
}

export function summarise(runs: LoadRun[]): LoadSummary {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  };
  const sum = (pick: (r: LoadRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  const statusCodes: Record<string, number> = {};
  for (const r of runs)
    for (const [code, n] of Object.entries(r.statusCodes))
      statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    requestsPerSec: round(sum((r) => r.requestsPerSec) / runs.length),
    meanMs: round(sum((r) => r.meanMs) / runs.length),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    requests: sum((r) => r.requests),
    statusCodes,
    runs,
  };
}

export interface Side {
  base: string;
  /** The requests of round `round` (0: the warm-up); may set up state first (a SKU's stock). */
  requests: (round: number) => Request[] | Promise<Request[]>;
  /** Runs after each measured round; throws to fail the scenario (oversold stock). */
  check?: (round: number, run: LoadRun) => Promise<void>;
  /** CPU and RSS of this side's processes over its measured runs. */
  usage?: UsageTracker;
}

export interface AlternateOptions extends LoadOptions {
  rounds: number;
  /** Seconds of warm-up of each side before the rounds; 0 for none. */
  warmupSeconds: number;
}

/**
 * A/B: a short warm-up of each side, then `rounds` × (subject, baseline), alternating so that
 * drift on a shared machine (other load, caches, JIT) hits both sides alike.
 */
export async function alternate(
  subject: Side,
  baseline: Side,
  options: AlternateOptions,
  progress: (line: string) => void,
): Promise<{ subject: LoadSummary; baseline: LoadSummary }> {
  const sides = [
    ['subject', subject],
    ['baseline', baseline],
  ] as const;
  if (options.warmupSeconds > 0) {
    for (const [, side] of sides)
      await load(side.base, await side.requests(0), { ...options, seconds: options.warmupSeconds });
  }
  const runs = { subject: [] as LoadRun[], baseline: [] as LoadRun[] };
  for (let round = 1; round <= options.rounds; round++) {
    for (const [name, side] of sides) {
      runs[name].push(await measure(side, round, options, progress, name));
    }
  }
  return { subject: summarise(runs.subject), baseline: summarise(runs.baseline) };
}

/** One measured run of `side`: usage tracked around it, its check after it. */
export async function measure(
  side: Side,
  round: number,
  options: LoadOptions,
  progress: (line: string) => void,
  name = 'subject',
): Promise<LoadRun> {
  const requests = await side.requests(round);
  side.usage?.begin();
  const timer = side.usage ? setInterval(() => side.usage?.sample(), 500) : undefined;
  const run = await load(side.base, requests, options).finally(() => {
    clearInterval(timer);
    side.usage?.end();
  });
  const codes = Object.entries(run.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  progress(
    `  round ${round} ${name.padEnd(8)} ${String(run.requestsPerSec).padStart(8)} req/s  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  errors ${run.errors}  ${codes}`,
  );
  await side.check?.(round, run);
  return run;
}

const round = (n: number) => Math.round(n * 100) / 100;
