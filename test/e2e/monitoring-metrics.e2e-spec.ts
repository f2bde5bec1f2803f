import { resolve } from 'node:path';
import { METRIC } from '../../src/platform/observability/metric-names.js';
import { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct } from '../support/http.js';
import {
  dashboardExprs,
  metricNamesIn,
  ruleExprs,
  type SourcedExpr,
} from '../support/promql-metrics.js';

const DASHBOARD = resolve(process.cwd(), 'docker/grafana/dashboards/scaleshop.json');
const ALERTS = resolve(process.cwd(), 'docker/prometheus/alerts.yml');

/** Metric name → the expressions that read it. */
function namesBySource(exprs: SourcedExpr[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { source, expr } of exprs) {
    for (const name of metricNamesIn(expr)) out.set(name, [...(out.get(name) ?? []), source]);
  }
  return out;
}

/** Names that /metrics text declares (`# TYPE name`) or has a sample of. */
function exportedNames(text: string): { declared: Set<string>; sampled: Set<string> } {
  const declared = new Set<string>();
  const sampled = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) \w+$/.exec(line);
    if (type) declared.add(type[1]);
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+\S+/.exec(line);
    if (sample) sampled.add(sample[1].replace(/_(bucket|sum|count)$/, ''));
  }
  return { declared, sampled };
}

async function scrape(app: AppProcess): Promise<string> {
  const res = await fetch(`${app.url}/metrics`);
  if (res.status !== 200) throw new Error(`${app.url}/metrics: ${res.status}`);
  return res.text();
}

describe('metric names in PromQL', () => {
  it('finds the histogram behind a quantile, without functions, labels or durations', () => {
    expect(
      metricNamesIn('histogram_quantile(0.99, sum by (le) (rate(x_bucket{a="b"}[5m])))'),
    ).toEqual(['x']);
  });

  it('drops keywords, label lists, strings, numbers, Grafana variables and `up`', () => {
    const expr = `
      sum by (job) (rate(req_total{job=~"$job", code=~"5..|foo_bar"}[$__rate_interval] offset 1h))
        / on (job) group_left(instance)
      sum without (le) (rate(lat_seconds_count{job="api"}[5m])) > bool 1e3
      or absent(up{job="api"}) unless max(mem_bytes) and vector(0)`;
    expect(metricNamesIn(expr)).toEqual(['lat_seconds', 'mem_bytes', 'req_total']);
  });

  it('reads every expression of the dashboard and of the alert rules', () => {
    const rules = ruleExprs(ALERTS);
    expect(rules.rules).toBeGreaterThanOrEqual(9);
    expect(rules.exprs).toHaveLength(rules.rules);
    expect(rules.exprs.find((e) => e.source === 'rule HighP99Latency')?.expr).toContain(
      'http_request_duration_seconds_bucket',
    );
    expect(dashboardExprs(DASHBOARD).length).toBeGreaterThanOrEqual(20);
  });
});

describe('every metric on the dashboard and in the alert rules is exported', () => {
  const prefix = `mon${Date.now().toString(36)}`;
  const env = { QUEUE_PREFIX: prefix, CACHE_KEY_PREFIX: `${prefix}:cache` };
  const used = namesBySource([...dashboardExprs(DASHBOARD), ...ruleExprs(ALERTS).exprs]);
  let apiApp: AppProcess;
  let worker: AppProcess;

  beforeAll(async () => {
    [apiApp, worker] = await Promise.all([
      AppProcess.start({ ...env, ROLE: 'api' }),
      AppProcess.start({ ...env, ROLE: 'worker' }),
    ]);
    // Traffic first: several series exist only once something happened. A product change goes
    // through the outbox to a worker job, which invalidates cached responses.
    const admin = await adminToken(apiApp.url);
    await createProduct(apiApp.url, admin);
    expect((await api(apiApp.url, '/api/v1/products')).status).toBe(200);
    expect((await api(apiApp.url, '/api/v1/products')).status).toBe(200);
    expect((await api(apiApp.url, '/api/v1/no-such-route')).status).toBe(404);
  });

  afterAll(async () => {
    await Promise.all([apiApp?.stop(), worker?.stop()]);
  });

  it('extracts a sensible set of names, including every Scaleshop metric', () => {
    expect(used.size).toBeGreaterThanOrEqual(15);
    expect([...used.keys()]).toEqual(expect.arrayContaining(Object.values(METRIC)));
    expect([...used.keys()]).toEqual(
      expect.arrayContaining([
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_heap_size_used_bytes',
        'nodejs_gc_duration_seconds',
      ]),
    );
  });

  it('declares each name in the api or the worker /metrics', async () => {
    const [a, w] = (await Promise.all([scrape(apiApp), scrape(worker)])).map(exportedNames);
    const missing = [...used]
      .filter(([name]) => ![a, w].some((x) => x.declared.has(name) || x.sampled.has(name)))
      .map(([name, sources]) => `${name} (${sources.join('; ')})`);
    expect(missing).toEqual([]);
  });

  it('has samples of each name once the traffic has been processed', async () => {
    // Declared is not enough for a panel to show data: wait until the worker has relayed and
    // handled the product event and the replica monitor has measured the lag.
    await eventually(
      async () => {
        const [a, w] = (await Promise.all([scrape(apiApp), scrape(worker)])).map(exportedNames);
        const unsampled = [...used.keys()].filter(
          (name) => !a.sampled.has(name) && !w.sampled.has(name),
        );
        expect(unsampled).toEqual([]);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
  });
});
