import { METRIC } from '../../src/platform/observability/metric-names.js';
import { AppProcess } from '../support/app-process.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct, metric, type JsonResponse } from '../support/http.js';
import { REPLICA_PORT } from '../support/test-env.js';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  requestId: string;
  errors?: string[];
}
interface GraphqlBody<T> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; cost?: number; limit?: number };
  }[];
}
interface Ready {
  status: string;
  details: {
    primary: { status: string };
    replicas: { status: string; mode: string; replicas: { name: string; healthy: boolean }[] };
    queueRedis: { status: string; policy: string };
    cacheRedis: { status: string };
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A V8 stack frame (`at fn (file:line:col)`) or a path into the dependencies. */
const LEAK = /\bat \S+ \(|\bat (file:|\/)|\.[cm]?js:\d+:\d+|node_modules/;

/** Asserts a complete RFC 9457 document whose requestId is the response's x-request-id. */
function expectProblem(
  res: JsonResponse<unknown>,
  status: number,
  code: string,
  instance: string,
): Problem {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.status).toBe(status);
  const body = res.body as Problem;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code,
      instance,
      requestId: res.headers.get('x-request-id'),
    }),
  );
  expect(body.title.length).toBeGreaterThan(0);
  expect(JSON.stringify(body)).not.toMatch(LEAK);
  return body;
}

async function graphql<T>(base: string, query: string, token?: string) {
  return api<GraphqlBody<T>>(base, '/graphql', { method: 'POST', token, body: { query } });
}

/** Whether /metrics text has a sample of `name` carrying all of `labels`. */
function hasSeries(text: string, name: string, labels: Record<string, string>): boolean {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .some((line) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
}

async function metricsText(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

describe('HTTP platform', () => {
  let app: AppProcess;
  let admin: string;

  beforeAll(async () => {
    app = await AppProcess.start({
      ROLE: 'all',
      QUEUE_PREFIX: `http${Date.now()}`,
      AUTH_RATE_LIMIT: '1000',
      BODY_LIMIT_BYTES: '2048',
      GRAPHQL_MAX_DEPTH: '3',
      GRAPHQL_MAX_COMPLEXITY: '50',
    });
    admin = await adminToken(app.url);
  });

  afterAll(async () => {
    await app?.stop();
  });

  describe('errors are RFC 9457 problem+json', () => {
    it('unknown route: 404', async () => {
      const res = await api(app.url, '/api/v1/no-such-thing');
      const body = expectProblem(res, 404, 'request.not_found', '/api/v1/no-such-thing');
      expect(body.title).toBe('Not Found');
    });

    it('unknown body field: 400 listing it', async () => {
      const res = await api(app.url, '/api/v1/auth/register', {
        method: 'POST',
        body: { email: 'extra@example.com', password: 'long-enough-password', isAdmin: true },
      });
      const body = expectProblem(res, 400, 'request.invalid', '/api/v1/auth/register');
      expect(body.errors).toEqual(expect.arrayContaining([expect.stringMatching(/isAdmin/)]));
    });

    it('wrong field type: 400 naming the field', async () => {
      const res = await api(app.url, '/api/v1/admin/products', {
        method: 'POST',
        token: admin,
        body: { name: 'Bad price', priceMinor: 'abc', currency: 'EUR' },
      });
      const body = expectProblem(res, 400, 'request.invalid', '/api/v1/admin/products');
      expect(body.errors).toEqual(expect.arrayContaining([expect.stringMatching(/priceMinor/)]));
      // The rejected value itself is not echoed back.
      expect(JSON.stringify(body)).not.toContain('"abc"');
    });

    it('malformed JSON: 400', async () => {
      const res = await api(app.url, '/api/v1/auth/register', {
        method: 'POST',
        body: '{"email": "broken@example.com", ',
      });
      expectProblem(res, 400, 'request.invalid', '/api/v1/auth/register');
    });

    it('body over BODY_LIMIT_BYTES: 413', async () => {
      const res = await api(app.url, '/api/v1/auth/register', {
        method: 'POST',
        body: { email: 'big@example.com', password: 'x'.repeat(10 * 1024) },
      });
      expectProblem(res, 413, 'request.body_too_large', '/api/v1/auth/register');
    });

    it('non-uuid id: 400', async () => {
      const res = await api(app.url, '/api/v1/products/not-a-uuid');
      expectProblem(res, 400, 'request.invalid', '/api/v1/products/not-a-uuid');
    });
  });

  describe('x-request-id', () => {
    it('echoes a well-formed id from the caller, also into problem documents', async () => {
      const res = await api<Problem>(app.url, '/api/v1/no-such-thing', {
        headers: { 'x-request-id': 'abc-123' },
      });
      expect(res.headers.get('x-request-id')).toBe('abc-123');
      expect(res.body.requestId).toBe('abc-123');
    });

    it('generates a uuid when none is sent', async () => {
      const a = await api(app.url, '/health/live');
      const b = await api(app.url, '/health/live');
      expect(a.headers.get('x-request-id')).toMatch(UUID);
      expect(b.headers.get('x-request-id')).toMatch(UUID);
      expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
    });

    it.each([
      ['too long', 'a'.repeat(300)],
      ['with spaces', 'abc 123'],
      ['with markup', '<script>x</script>'],
    ])('replaces an id that is %s', async (_label, sent) => {
      const res = await api(app.url, '/health/live', { headers: { 'x-request-id': sent } });
      const echoed = res.headers.get('x-request-id');
      expect(echoed).not.toBe(sent);
      expect(echoed).toMatch(UUID);
    });
  });

  it('sends security headers, on success and on errors', async () => {
    for (const path of ['/api/v1/products', '/api/v1/no-such-thing']) {
      const res = await api(app.url, path);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toMatch(/^(DENY|SAMEORIGIN)$/);
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{6,}/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });

  it('serves the API docs and an OpenAPI document listing the REST routes', async () => {
    const html = await fetch(`${app.url}/docs`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await html.text()).toMatch(/swagger-ui/i);

    const doc = await api<{ openapi: string; paths: Record<string, unknown> }>(
      app.url,
      '/docs/openapi.json',
    );
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/products', '/api/v1/auth/login', '/api/v1/admin/products']),
    );
  });

  describe('GraphQL', () => {
    it('answers a products query', async () => {
      const created = await createProduct(app.url, admin, { name: 'GraphQL listed product' });
      await eventually(
        async () => {
          const res = await graphql<{
            products: { items: { id: string; name: string }[]; nextCursor: string | null };
          }>(app.url, '{ products(first: 5) { items { id name } nextCursor } }');
          expect(res.status).toBe(200);
          expect(res.body.errors).toBeUndefined();
          expect(res.body.data?.products.items).toEqual(
            expect.arrayContaining([{ id: created.id, name: 'GraphQL listed product' }]),
          );
          // Only replica lag is worth waiting for.
        },
        { timeoutMs: 5_000 },
      );
    });

    it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH', async () => {
      const res = await graphql(app.url, '{ __schema { types { fields { type { name } } } } }');
      expect(res.status).toBeLessThan(500);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.message).toMatch(/depth/i);
    });

    it('refuses a query whose cost exceeds GRAPHQL_MAX_COMPLEXITY', async () => {
      const res = await graphql(app.url, '{ products(first: 100) { items { id name slug } } }');
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({
        code: 'graphql.too_complex',
        limit: 50,
      });
      expect(res.body.errors?.[0]?.extensions?.cost).toBeGreaterThan(50);
    });

    it('answers an invalid query with a validation error, not a 500', async () => {
      const res = await graphql(app.url, '{ products(first: 5) { items { id noSuchField } } }');
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors?.[0]?.message).toMatch(/noSuchField/);
      expect(JSON.stringify(res.body)).not.toMatch(LEAK);
    });
  });

  describe('/metrics', () => {
    it('is public Prometheus text with every Scaleshop metric and the process defaults', async () => {
      await api(app.url, '/api/v1/products');
      const res = await fetch(`${app.url}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      for (const name of Object.values(METRIC)) {
        expect(text).toContain(`# HELP ${name} `);
        expect(text).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, 'm'));
      }
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds \S+/m);
      expect(
        hasSeries(text, 'http_request_duration_seconds_count', { route: '/api/v1/products' }),
      ).toBe(true);
    });

    it('labels HTTP timings with the route template, never the raw URL', async () => {
      const product = await createProduct(app.url, admin);
      await eventually(async () =>
        expect((await api(app.url, `/api/v1/products/${product.id}`)).status).toBe(200),
      );
      const labels = { method: 'GET', route: '/api/v1/products/:id', status_code: '200' };
      expect(await metric(app.url, 'http_request_duration_seconds_count', labels)).toBeGreaterThan(
        0,
      );
      const text = await metricsText(app.url);
      expect(text).not.toContain(product.id);
    });

    it('exports the worker metrics of a ROLE=all process', async () => {
      await createProduct(app.url, admin);
      await eventually(
        async () => {
          const text = await metricsText(app.url);
          expect(hasSeries(text, 'scaleshop_queue_jobs', { queue: 'catalog-inbox' })).toBe(true);
          expect(hasSeries(text, 'scaleshop_outbox_backlog', { context: 'catalog' })).toBe(true);
          const done = { queue: 'catalog-inbox', outcome: 'completed' };
          expect(
            await metric(app.url, 'scaleshop_job_duration_seconds_count', done),
          ).toBeGreaterThan(0);
          expect(
            await metric(app.url, 'scaleshop_outbox_published_total', { context: 'catalog' }),
          ).toBeGreaterThan(0);
        },
        { timeoutMs: 20_000, intervalMs: 250 },
      );
    });
  });

  describe('health', () => {
    it('is live', async () => {
      const res = await api(app.url, '/health/live');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('is ready with the primary up, the replicas listed and the queue Redis policy', async () => {
      const res = await eventually(async () => {
        const r = await api<Ready>(app.url, '/health/ready');
        expect(r.status).toBe(200);
        expect(r.body.details.replicas.replicas.every((x) => x.healthy)).toBe(true);
        return r;
      });
      expect(res.body.status).toBe('ok');
      expect(res.body.details.primary.status).toBe('up');
      expect(res.body.details.replicas.status).toBe('up');
      expect(res.body.details.replicas.replicas).toEqual([
        expect.objectContaining({ name: expect.stringContaining(`:${REPLICA_PORT}`) }),
      ]);
      expect(res.body.details.queueRedis.status).toBe('up');
      expect(res.body.details.queueRedis.policy).toEqual(expect.any(String));
      expect(res.body.details.queueRedis.policy).not.toBe('unknown');
    });
  });
});

describe('graceful shutdown', () => {
  let app: AppProcess;
  const drainMs = 1500;

  beforeAll(async () => {
    app = await AppProcess.start({
      ROLE: 'all',
      QUEUE_PREFIX: `drain${Date.now()}`,
      SHUTDOWN_DRAIN_MS: String(drainMs),
    });
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('turns unready, finishes the requests in flight and exits 0', async () => {
    expect((await api(app.url, '/health/ready')).status).toBe(200);

    // Each request settles to its status, or to the network error that cut it off.
    const inFlight = Array.from({ length: 30 }, () =>
      fetch(`${app.url}/api/v1/products?limit=50`).then(
        async (r) => {
          await r.arrayBuffer();
          return r.status;
        },
        (err: Error) => `${err.message}: ${String((err.cause as Error | undefined)?.message)}`,
      ),
    );
    const signalledAt = Date.now();
    app.signal('SIGTERM');

    // Within the drain window: still serving, but telling the balancer to go away. Everything is
    // observed first and asserted after, so a failure shows the first thing that went wrong.
    const readiness = await eventually(
      async () => {
        const res = await api<Problem>(app.url, '/health/ready');
        expect(res.status).toBe(503);
        return { res, at: Date.now() - signalledAt, running: app.exitCode === undefined };
      },
      { timeoutMs: drainMs - 300, intervalMs: 20 },
    ).catch((err: Error) => err);
    const statuses = await Promise.all(inFlight);
    const exit = await eventually(
      () => {
        if (app.exitCode === undefined) throw new Error('still running');
        return { code: app.exitCode, at: Date.now() - signalledAt };
      },
      { timeoutMs: 15_000 },
    );

    expect(statuses).toEqual(Array(30).fill(200));
    expect(exit.code).toBe(0);
    if (readiness instanceof Error) throw readiness;
    expect(readiness.running).toBe(true);
    expect(readiness.at).toBeLessThan(drainMs);
    expect(readiness.res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(readiness.res.body.code).toBe('service.unavailable');
    // It waited for the drain window before closing.
    expect(exit.at).toBeGreaterThanOrEqual(drainMs - 100);
  });
});
