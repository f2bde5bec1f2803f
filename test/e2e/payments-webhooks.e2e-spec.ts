import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import {
  count,
  deliver,
  nowS,
  placeOrder,
  providerEvent,
  sign,
  WEBHOOK_PATH,
} from '../support/payments-webhooks.js';
import { QUEUE_REDIS_URL } from '../support/test-env.js';

/** The first signs (the test provider); the second is an older one still accepted (rotation). */
const FIRST_SECRET = 'payments-e2e-first-secret-0123456789abcd';
const SECOND_SECRET = 'payments-e2e-second-secret-0123456789abc';
const MODULES = 'identity,catalog,ordering,payments';
const redisOptions = { host: '127.0.0.1', port: Number(new URL(QUEUE_REDIS_URL).port || 6379) };

const processedAll = (db: pg.Pool, ids: string[]) =>
  count(
    db,
    `SELECT count(*)::int AS n FROM payments.provider_events
      WHERE event_id = ANY($1) AND processed_at IS NOT NULL`,
    [ids],
  );

interface IntentRow {
  id: string;
  status: string;
  provider_payment_id: string;
  failure_reason: string | null;
}

async function intentOf(db: pg.Pool, orderId: string): Promise<IntentRow> {
  const { rows } = await db.query<IntentRow>(
    'SELECT id, status, provider_payment_id, failure_reason FROM payments.payment_intents WHERE order_id = $1',
    [orderId],
  );
  if (rows.length !== 1) throw new Error(`${rows.length} intents for order ${orderId}`);
  return rows[0];
}

async function outboxOf(
  db: pg.Pool,
  type: string,
  orderId: string,
): Promise<{ payload: Record<string, unknown>; request_id: string | null }[]> {
  const { rows } = await db.query<{ payload: Record<string, unknown>; request_id: string | null }>(
    `SELECT payload, request_id FROM payments.outbox WHERE type = $1 AND payload->>'orderId' = $2`,
    [type, orderId],
  );
  return rows;
}

describe('payments webhooks (ROLE=all: the test provider calls its own process)', () => {
  const prefix = `pw${Date.now()}`;
  let app: AppProcess;
  let db: pg.Pool;
  let inbox: Queue;
  let redis: Redis;

  beforeAll(async () => {
    db = primary();
    await db.query(
      'TRUNCATE payments.payment_intents, payments.provider_events, payments.outbox, payments.processed_events, ordering.outbox',
    );
    app = await AppProcess.start({
      ROLE: 'all',
      MODULES,
      QUEUE_PREFIX: prefix,
      QUEUE_JOB_ATTEMPTS: '3',
      QUEUE_BACKOFF_MS: '50',
      PAYMENTS_WEBHOOK_SECRETS: `${FIRST_SECRET},${SECOND_SECRET}`,
      PAYMENTS_TEST_CONFIRM_DELAY_MS: '100',
    });
    inbox = new Queue('payments-inbox', { connection: redisOptions, prefix });
    redis = new Redis(QUEUE_REDIS_URL);
  });

  afterAll(async () => {
    await app?.stop();
    for (const name of ['payments-inbox', 'payments-test-provider']) {
      const q = new Queue(name, { connection: redisOptions, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await inbox?.close();
    const keys = await redis.keys(`${prefix}:payments:testprovider:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.end();
  });

  it('refuses bad, stale, malformed and unparsable deliveries with 400 problem+json and records nothing', async () => {
    const before = {
      events: await count(db, 'SELECT count(*)::int AS n FROM payments.provider_events'),
      outbox: await count(db, 'SELECT count(*)::int AS n FROM payments.outbox'),
    };
    const body = JSON.stringify(providerEvent('payment_intent.succeeded', 'pi_nope', randomUUID()));
    const t = nowS();
    const form = 'id=evt_form_1&type=payment_intent.succeeded';
    const cases: {
      name: string;
      body: string;
      signature: string | null;
      code: string;
      contentType?: string;
    }[] = [
      {
        name: 'unknown secret',
        body,
        signature: sign('not-our-secret-0123456789abcdefgh', t, body),
        code: 'payments.invalid_signature',
      },
      {
        name: 'tampered body',
        body: body.replace('succeeded', 'processing'),
        signature: sign(FIRST_SECRET, t, body),
        code: 'payments.invalid_signature',
      },
      {
        name: 're-serialised body',
        body: JSON.stringify(JSON.parse(body), null, 2),
        signature: sign(FIRST_SECRET, t, body),
        code: 'payments.invalid_signature',
      },
      {
        name: 'stale timestamp',
        body,
        signature: sign(FIRST_SECRET, t - 400, body),
        code: 'payments.stale_webhook',
      },
      {
        name: 'timestamp far ahead',
        body,
        signature: sign(FIRST_SECRET, t + 400, body),
        code: 'payments.stale_webhook',
      },
      {
        name: 'malformed header',
        body,
        signature: `t=${t};v1=abc`,
        code: 'payments.invalid_signature',
      },
      { name: 'no header', body, signature: null, code: 'payments.invalid_signature' },
      {
        name: 'signed JSON that is no event',
        body: '{"hello":"world"}',
        signature: sign(FIRST_SECRET, t, '{"hello":"world"}'),
        code: 'payments.invalid_webhook_payload',
      },
      {
        // jsonb cannot hold NUL: refused as a payload, never a 500.
        name: 'signed event carrying a NUL character',
        body: body.replace('"eur"', '"eur\\u0000"'),
        signature: sign(FIRST_SECRET, t, body.replace('"eur"', '"eur\\u0000"')),
        code: 'payments.invalid_webhook_payload',
      },
      {
        name: 'signed form body (only JSON is an event)',
        body: form,
        signature: sign(FIRST_SECRET, t, form),
        code: 'payments.invalid_webhook_payload',
        contentType: 'application/x-www-form-urlencoded',
      },
      {
        name: 'signed text body (no raw JSON bytes)',
        body,
        signature: sign(FIRST_SECRET, t, body),
        code: 'payments.invalid_signature',
        contentType: 'text/plain',
      },
    ];
    for (const c of cases) {
      const res = await deliver(app.url, c.body, c.signature, c.contentType);
      expect({ name: c.name, status: res.status, code: res.json.code }).toEqual({
        name: c.name,
        status: 400,
        code: c.code,
      });
      expect(res.type).toContain('application/problem+json');
    }
    // Not JSON at all, even correctly signed: 400 from the body parser, before any handler.
    const garbage = 'this is {not json';
    const res = await deliver(app.url, garbage, sign(FIRST_SECRET, t, garbage));
    expect(res.status).toBe(400);
    expect(res.type).toContain('application/problem+json');
    expect(JSON.stringify(res.json)).not.toMatch(/at .*\.js/); // no stack trace

    expect(await count(db, 'SELECT count(*)::int AS n FROM payments.provider_events')).toBe(
      before.events,
    );
    expect(await count(db, 'SELECT count(*)::int AS n FROM payments.outbox')).toBe(before.outbox);
    // The process is still up.
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
  });

  it('applies a webhook delivered 5 times and twice out of order as exactly one state change', async () => {
    // An intent the test provider knows nothing of, so only this test's deliveries move it.
    const orderId = randomUUID();
    const providerPaymentId = `pi_manual_${randomBytes(6).toString('hex')}`;
    await db.query(
      `INSERT INTO payments.payment_intents
         (id, order_id, customer_id, provider, provider_payment_id, status, amount_minor, currency, payment_method)
       VALUES ($1, $2, $3, 'test', $4, 'requires_confirmation', 4200, 'EUR', 'pm_card_visa')`,
      [randomUUID(), orderId, randomUUID(), providerPaymentId],
    );
    const succeeded = JSON.stringify(
      providerEvent('payment_intent.succeeded', providerPaymentId, orderId),
    );
    const processing = JSON.stringify(
      providerEvent('payment_intent.processing', providerPaymentId, orderId),
    );
    const failed = JSON.stringify(
      providerEvent('payment_intent.payment_failed', providerPaymentId, orderId),
    );
    const ids = [succeeded, processing, failed].map((b) => (JSON.parse(b) as { id: string }).id);

    // succeeded: 3 at once, then 2 more one after the other (one signed with the rotated secret).
    const concurrent = await Promise.all(
      [1, 2, 3].map(() => deliver(app.url, succeeded, sign(FIRST_SECRET, nowS(), succeeded))),
    );
    const sequential = [
      await deliver(app.url, succeeded, sign(SECOND_SECRET, nowS(), succeeded)),
      await deliver(app.url, succeeded, sign(FIRST_SECRET, nowS(), succeeded)),
    ];
    const all = [...concurrent, ...sequential];
    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(all.filter((r) => r.json.duplicate === false)).toHaveLength(1);

    await eventually(async () => expect(await processedAll(db, [ids[0]])).toBe(1));
    // Then the older processing event, twice (second time with the rotated secret), and a
    // contradicting failure: all arrive after the final status.
    for (const [body, secret] of [
      [processing, FIRST_SECRET],
      [processing, SECOND_SECRET],
      [failed, FIRST_SECRET],
    ] as const) {
      expect((await deliver(app.url, body, sign(secret, nowS(), body))).status).toBe(200);
    }
    await eventually(async () => expect(await processedAll(db, ids)).toBe(3));

    expect((await intentOf(db, orderId)).status).toBe('succeeded');
    const events = await outboxOf(db, 'payments.payment.succeeded', orderId);
    expect(events).toHaveLength(1);
    expect(events[0].payload).toMatchObject({
      orderId,
      amountMinor: 4200,
      currency: 'EUR',
      providerPaymentId,
    });
    expect(await outboxOf(db, 'payments.payment.failed', orderId)).toHaveLength(0);
    // Each distinct provider event recorded once, each handed to the worker once.
    expect(
      await count(
        db,
        'SELECT count(*)::int AS n FROM payments.provider_events WHERE event_id = ANY($1)',
        [ids],
      ),
    ).toBe(3);
    expect(
      await count(
        db,
        `SELECT count(*)::int AS n FROM payments.outbox
          WHERE type = 'payments.provider_event.received' AND payload->>'eventId' = ANY($1)`,
        [ids],
      ),
    ).toBe(3);
  });

  it('retries an event for an unknown intent, then leaves it in the failed set', async () => {
    const body = JSON.stringify(
      providerEvent('payment_intent.succeeded', `pi_unknown_${Date.now()}`, randomUUID()),
    );
    const eventId = (JSON.parse(body) as { id: string }).id;
    expect((await deliver(app.url, body, sign(FIRST_SECRET, nowS(), body))).status).toBe(200);
    const { rows } = await db.query<{ id: string }>(
      `SELECT id FROM payments.outbox WHERE payload->>'eventId' = $1`,
      [eventId],
    );
    expect(rows).toHaveLength(1);
    const job = await eventually(async () => {
      const found = await inbox.getJob(rows[0].id);
      if (!found) throw new Error('not relayed yet');
      return found;
    });
    await eventually(async () => expect(await job.getState()).toBe('failed'), {
      timeoutMs: 20_000,
    });
    const failed = await inbox.getJob(rows[0].id);
    expect(failed?.attemptsMade).toBe(3);
    expect(failed?.failedReason).toMatch(/No payment intent/);
    expect(await processedAll(db, [eventId])).toBe(0);
  });

  it('the test provider confirms a placed order by itself, carrying the request id', async () => {
    const requestId = `trace-pay-${Date.now()}`;
    const { orderId } = await placeOrder(db, { paymentMethod: 'pm_card_visa', requestId });
    // The same order announced twice (a replayed event with a new id): still one intent.
    await placeOrder(db, { paymentMethod: 'pm_card_visa', requestId, orderId });

    await eventually(async () => expect((await intentOf(db, orderId)).status).toBe('succeeded'), {
      timeoutMs: 20_000,
    });
    const intent = await intentOf(db, orderId);
    const events = await eventually(async () => {
      const rows = await outboxOf(db, 'payments.payment.succeeded', orderId);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(events[0].payload).toMatchObject({
      orderId,
      paymentId: intent.id,
      amountMinor: 4200,
      currency: 'EUR',
      providerPaymentId: intent.provider_payment_id,
    });
    expect(events[0].request_id).toBe(requestId);

    // Both webhooks arrived, each once, signed by the provider with the first secret.
    const { rows: received } = await db.query<{ type: string }>(
      `SELECT type FROM payments.provider_events
        WHERE payload->'data'->'object'->>'id' = $1 ORDER BY type`,
      [intent.provider_payment_id],
    );
    expect(received.map((r) => r.type)).toEqual([
      'payment_intent.processing',
      'payment_intent.succeeded',
    ]);
    // The provider's own record, apart from payments' tables, is the intent payments holds.
    const record = await redis.get(`${prefix}:payments:testprovider:intent:${orderId}`);
    expect(JSON.parse(record ?? '{}')).toMatchObject({
      id: intent.provider_payment_id,
      status: 'succeeded',
    });
  });

  it('a declined card fails the payment, once', async () => {
    const { orderId } = await placeOrder(db, { paymentMethod: 'pm_card_declined' });
    await eventually(async () => expect((await intentOf(db, orderId)).status).toBe('failed'), {
      timeoutMs: 20_000,
    });
    expect((await intentOf(db, orderId)).failure_reason).toBe('card_declined');
    const events = await eventually(async () => {
      const rows = await outboxOf(db, 'payments.payment.failed', orderId);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(events[0].payload).toMatchObject({ orderId, reason: 'card_declined' });
    expect(await outboxOf(db, 'payments.payment.succeeded', orderId)).toHaveLength(0);
  });
});

describe('payments across api and worker processes', () => {
  const prefix = `pwx${Date.now()}`;
  const base = { MODULES, QUEUE_PREFIX: prefix, QUEUE_JOB_ATTEMPTS: '3', QUEUE_BACKOFF_MS: '50' };
  let api: AppProcess;
  let worker: AppProcess | undefined;
  let db: pg.Pool;

  beforeAll(async () => {
    db = primary();
    api = await AppProcess.start({ ...base, ROLE: 'api' });
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
    for (const name of ['payments-inbox', 'payments-test-provider']) {
      const q = new Queue(name, { connection: redisOptions, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    const redis = new Redis(QUEUE_REDIS_URL);
    const keys = await redis.keys(`${prefix}:payments:testprovider:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.end();
  });

  it('a worker without PAYMENTS_TEST_WEBHOOK_URL fails its deliveries with a clear reason', async () => {
    worker = await AppProcess.start({ ...base, ROLE: 'worker' });
    const { orderId } = await placeOrder(db, { paymentMethod: 'pm_card_visa' });
    const intent = await eventually(() => intentOf(db, orderId));
    const queue = new Queue('payments-test-provider', { connection: redisOptions, prefix });
    try {
      await eventually(
        async () => {
          const job = await queue.getJob(
            `deliver-${intent.provider_payment_id}-payment_intent_processing`,
          );
          expect(job?.failedReason).toMatch(/PAYMENTS_TEST_WEBHOOK_URL must be set/);
        },
        { timeoutMs: 20_000 },
      );
    } finally {
      await queue.close();
    }
    expect((await intentOf(db, orderId)).status).toBe('requires_confirmation');
    await worker.stop();
    worker = undefined;
  });

  it('the worker delivers the test provider webhooks to the api process', async () => {
    worker = await AppProcess.start({
      ...base,
      ROLE: 'worker',
      PAYMENTS_TEST_WEBHOOK_URL: `${api.url}${WEBHOOK_PATH}`,
    });
    const requestId = `trace-split-${Date.now()}`;
    const { orderId } = await placeOrder(db, { paymentMethod: 'pm_card_visa', requestId });
    await eventually(async () => expect((await intentOf(db, orderId)).status).toBe('succeeded'), {
      timeoutMs: 20_000,
    });
    const events = await eventually(async () => {
      const rows = await outboxOf(db, 'payments.payment.succeeded', orderId);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(events[0].request_id).toBe(requestId);
  });
});
