import { Queue } from 'bullmq';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct } from '../support/http.js';

const PRODUCTS = 30;
const UPDATES_PER_PRODUCT = 19;
const EVENTS = PRODUCTS * (1 + UPDATES_PER_PRODUCT);

async function count(db: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0].n;
}

/**
 * Outbox → relay → BullMQ → idempotent consumer, across real processes: admin writes in an `api`
 * process, a separate `worker` process relays and consumes, and is killed with SIGKILL halfway.
 */
describe('outbox relay and idempotent consumers across processes', () => {
  const prefix = `ow${Date.now()}`;
  const workerEnv = {
    ROLE: 'worker',
    QUEUE_PREFIX: prefix,
    QUEUE_LOCK_MS: '2000',
    QUEUE_JOB_ATTEMPTS: '3',
    QUEUE_BACKOFF_MS: '50',
  };
  let apiProcess: AppProcess;
  let worker: AppProcess | undefined;
  let db: pg.Pool;
  let queue: Queue;
  let token: string;
  let productIds: string[] = [];

  beforeAll(async () => {
    db = primary();
    await db.query(
      'TRUNCATE catalog.products, catalog.variants, catalog.product_documents, catalog.outbox, catalog.processed_events CASCADE',
    );
    apiProcess = await AppProcess.start({ ROLE: 'api', QUEUE_PREFIX: prefix });
    token = await adminToken(apiProcess.url);
    queue = new Queue('catalog-inbox', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
  });

  afterAll(async () => {
    await worker?.stop();
    await apiProcess.stop();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await db.end();
  });

  it('applies every event exactly once although the worker is killed -9 mid-batch', async () => {
    // With no worker running, every change waits in the outbox.
    const created = await Promise.all(
      Array.from({ length: PRODUCTS }, (_, i) =>
        createProduct(apiProcess.url, token, { name: `Outbox ${i}` }),
      ),
    );
    productIds = created.map((p) => p.id);
    await Promise.all(
      productIds.map(async (id) => {
        for (let u = 1; u <= UPDATES_PER_PRODUCT; u++) {
          const res = await api(apiProcess.url, `/api/v1/admin/products/${id}`, {
            method: 'PATCH',
            token,
            body: { priceMinor: 1000 + u },
          });
          expect(res.status).toBe(200);
        }
      }),
    );
    expect(
      await count(db, 'SELECT count(*)::int AS n FROM catalog.outbox WHERE published_at IS NULL'),
    ).toBe(EVENTS);

    worker = await AppProcess.start(workerEnv);
    const processedAtKill = await eventually(
      async () => {
        const n = await count(db, 'SELECT count(*)::int AS n FROM catalog.processed_events');
        if (n < 20) throw new Error(`only ${n} processed`);
        return n;
      },
      { intervalMs: 5, timeoutMs: 30_000 },
    );
    await worker.kill();
    expect(processedAtKill).toBeLessThan(EVENTS);
    const afterKill = await count(db, 'SELECT count(*)::int AS n FROM catalog.processed_events');
    expect(afterKill).toBeLessThan(EVENTS);

    worker = await AppProcess.start(workerEnv);
    await eventually(
      async () => {
        expect(await count(db, 'SELECT count(*)::int AS n FROM catalog.processed_events')).toBe(
          EVENTS,
        );
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    expect(
      await count(db, 'SELECT count(*)::int AS n FROM catalog.outbox WHERE published_at IS NULL'),
    ).toBe(0);

    // revision counts applied events: created + 19 updates = 20 per product, never more.
    const { rows } = await db.query<{ revision: number; source_version: number; price: number }>(
      `SELECT d.revision, d.source_version, (d.document->>'priceMinor')::int AS price
         FROM catalog.product_documents d WHERE d.product_id = ANY($1::uuid[])`,
      [productIds],
    );
    expect(rows).toHaveLength(PRODUCTS);
    for (const row of rows) {
      expect(row).toEqual({
        revision: 1 + UPDATES_PER_PRODUCT,
        source_version: 1 + UPDATES_PER_PRODUCT,
        price: 1000 + UPDATES_PER_PRODUCT,
      });
    }
  });

  it('ignores a redelivered event (same event id, new job id)', async () => {
    const { rows } = await db.query<{ id: string; payload: Record<string, unknown> }>(
      `SELECT id, payload FROM catalog.outbox WHERE type = 'catalog.product.updated' LIMIT 1`,
    );
    const event = rows[0];
    const productId = event.payload.productId as string;
    const before = await count(
      db,
      'SELECT revision AS n FROM catalog.product_documents WHERE product_id = $1',
      [productId],
    );
    const job = await queue.add(
      'catalog.product.updated',
      {
        id: event.id,
        type: 'catalog.product.updated',
        version: 1,
        producer: 'catalog',
        occurredAt: new Date().toISOString(),
        payload: event.payload,
      },
      { jobId: `redelivery-${event.id}` },
    );
    await eventually(async () => expect(await job.getState()).toBe('completed'));
    expect(
      await count(db, 'SELECT revision AS n FROM catalog.product_documents WHERE product_id = $1', [
        productId,
      ]),
    ).toBe(before);
  });

  it('retries a poison message with backoff, keeps it in the failed set, and goes on with the rest', async () => {
    // Written to the outbox like any event, so the relay publishes it with the configured
    // attempts and backoff (QUEUE_JOB_ATTEMPTS=3, QUEUE_BACKOFF_MS=50).
    const poisonId = '00000000-0000-4000-8000-000000000001';
    await db.query(
      `INSERT INTO catalog.outbox (id, type, version, payload) VALUES ($1, 'catalog.product.updated', 1, $2)`,
      [poisonId, JSON.stringify({ productId: 'not-a-uuid', version: 1 })],
    );
    const poison = await eventually(async () => {
      const job = await queue.getJob(poisonId);
      if (!job) throw new Error('not relayed yet');
      return job;
    });
    await eventually(async () => expect(await poison.getState()).toBe('failed'), {
      timeoutMs: 20_000,
    });
    const failed = await queue.getJob(poison.id!);
    expect(failed?.attemptsMade).toBe(3);
    expect(failed?.failedReason).toMatch(/uuid/i);

    // The queue is not held up: a new change is still applied, and carries its request id.
    const id = productIds[0];
    const res = await api(apiProcess.url, `/api/v1/admin/products/${id}`, {
      method: 'PATCH',
      token,
      body: { name: 'After poison' },
      headers: { 'x-request-id': 'trace-outbox-42' },
    });
    expect(res.status).toBe(200);
    await eventually(async () => {
      const { rows } = await db.query<{ name: string }>(
        `SELECT document->>'name' AS name FROM catalog.product_documents WHERE product_id = $1`,
        [id],
      );
      expect(rows[0].name).toBe('After poison');
    });
    const { rows } = await db.query<{ id: string; request_id: string }>(
      `SELECT id, request_id FROM catalog.outbox WHERE payload->>'productId' = $1 ORDER BY occurred_at DESC LIMIT 1`,
      [id],
    );
    expect(rows[0].request_id).toBe('trace-outbox-42');
    const job = await queue.getJob(rows[0].id);
    expect(job?.data.requestId).toBe('trace-outbox-42');
  });
});
