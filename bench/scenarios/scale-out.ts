import { cpus } from 'node:os';
import { alternate, gets } from '../lib/load.js';
import { startNginx } from '../lib/nginx.js';
import type { ScenarioResult } from '../lib/report.js';
import { abSeconds, scenario } from '../lib/scenario.js';
import { say, settings, startApi, stopServer, type Server } from '../lib/stack.js';
import { UsageTracker } from '../lib/usage.js';
import type { CatalogContext } from './catalog-reads.js';

/**
 * Horizontal scaling: the uncached list through nginx (least_conn, keep-alive upstreams) in
 * front of two ROLE=api processes, A/B against the same nginx in front of one of them.
 */
export function scaleOut(ctx: CatalogContext, redisPort: number): Promise<ScenarioResult> {
  const paths = ['/api/v1/products?limit=20'];
  return scenario(
    {
      id: 'scale-out',
      title: 'uncached list through nginx, 2 APIs vs 1',
      measures: `GET /api/v1/products?limit=20, cache off, through one nginx (1 worker process, least_conn upstream with keepalive, generated config in a temp dir, 127.0.0.1 only) with two servers: one proxying to two ROLE=api processes (subject) and one to the first of them only (baseline), alternating. The ratio is the 2-vs-1 scale-out factor. This machine has ${cpus().length} cores, shared by PostgreSQL (primary and replica), Redis, nginx, autocannon, the worker and the APIs: a second API process gets no core of its own, so the factor shows contention, not what two machines would give.`,
      subjectLabel: 'nginx → 2 APIs',
      baselineLabel: 'nginx → 1 API',
      sample: paths[0],
      requestCount: 1,
      budgetText: 'none in DESIGN.md',
    },
    abSeconds() + 20,
    async (result) => {
      const apis: Server[] = [];
      try {
        for (const name of ['api-1', 'api-2'])
          apis.push(await startApi(name, ctx.db, redisPort, { CACHE_ENABLED: 'false' }));
        const nginx = await startNginx({
          one: [apis[0].port],
          two: apis.map((a) => a.port),
        });
        try {
          const subjectUsage = new UsageTracker([
            ...apis.map((a) => a.child),
            ctx.worker.child,
            nginx.worker,
          ]);
          const baselineUsage = new UsageTracker([apis[0].child, ctx.worker.child, nginx.worker]);
          const requests = () => gets(paths);
          const runs = await alternate(
            { base: nginx.urls.two, requests, usage: subjectUsage },
            { base: nginx.urls.one, requests, usage: baselineUsage },
            settings,
            say,
          );
          Object.assign(result, runs, {
            subjectUsage: subjectUsage.result(),
            baselineUsage: baselineUsage.result(),
          });
        } finally {
          await nginx.child.stop();
        }
      } finally {
        for (const api of apis) await stopServer(api);
      }
    },
  );
}
