import autocannon from 'autocannon';

/** One autocannon run, reduced to what the report compares. */
export interface LoadRun {
  requestsPerSec: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  requests: number;
}

/** Several runs of one side: mean throughput, median latencies, summed errors. */
export interface LoadSummary extends LoadRun {
  runs: LoadRun[];
}

export interface LoadOptions {
  seconds: number;
  connections: number;
}

/**
 * `connections` keep-alive connections against `base` for `seconds`, each cycling through `paths`
 * (so every server sees the same request mix). Never longer than seconds + 10 s.
 */
export async function load(base: string, paths: string[], options: LoadOptions): Promise<LoadRun> {
  const result = await autocannon({
    url: base,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
  return {
    requestsPerSec: round(result.requests.average),
    meanMs: round(result.latency.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

export function summarise(runs: LoadRun[]): LoadSummary {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  };
  const sum = (pick: (r: LoadRun) => number) => runs.reduce((n, r) => n + pick(r), 0);
  return {
    requestsPerSec: round(sum((r) => r.requestsPerSec) / runs.length),
    meanMs: round(sum((r) => r.meanMs) / runs.length),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    errors: sum((r) => r.errors),
    non2xx: sum((r) => r.non2xx),
    requests: sum((r) => r.requests),
    runs,
  };
}

export interface Side {
  base: string;
  paths: string[];
  /** Called about every 500 ms while this side is under load (e.g. to sample RSS). */
  sample?: () => void;
}

/**
 * A/B: a short warm-up of each side, then `rounds` × (subject, baseline), alternating so that
 * drift on a shared machine (other load, caches, JIT) hits both sides alike.
 */
export async function alternate(
  subject: Side,
  baseline: Side,
  rounds: number,
  options: LoadOptions & { warmupSeconds: number },
  progress: (line: string) => void,
): Promise<{ subject: LoadSummary; baseline: LoadSummary }> {
  const warm = { ...options, seconds: options.warmupSeconds };
  await load(subject.base, subject.paths, warm);
  await load(baseline.base, baseline.paths, warm);
  const runs = { subject: [] as LoadRun[], baseline: [] as LoadRun[] };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, side] of [
      ['subject', subject],
      ['baseline', baseline],
    ] as const) {
      const timer = side.sample ? setInterval(side.sample, 500) : undefined;
      const run = await load(side.base, side.paths, options).finally(() => clearInterval(timer));
      runs[name].push(run);
      progress(
        `  round ${round} ${name.padEnd(8)} ${String(run.requestsPerSec).padStart(8)} req/s  mean ${run.meanMs} ms  p50 ${run.p50Ms} ms  p99 ${run.p99Ms} ms  errors ${run.errors + run.non2xx}`,
      );
    }
  }
  return { subject: summarise(runs.subject), baseline: summarise(runs.baseline) };
}

const round = (n: number) => Math.round(n * 100) / 100;
