import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, newCustomer } from '../support/http.js';
import { decodeQuotedPrintable, TestSmtpServer } from '../support/notifications-smtp.js';

const ATTEMPTS = 3;
const MODULES = 'identity,catalog,ordering,notifications';

interface MessageRow {
  id: string;
  kind: string;
  status: string;
  attempts: number;
  last_error: string | null;
  message_id: string;
  to_address: string;
  sent_at: Date | null;
}

/**
 * Order events → notifications → a real SMTP server, across separate api and worker processes.
 * The events are written to ordering.outbox as ordering would, and relayed by the worker.
 */
describe('order emails', () => {
  const prefix = `ne${Date.now()}`;
  const smtp = new TestSmtpServer();
  let apiProcess: AppProcess;
  let worker: AppProcess;
  let db: pg.Pool;
  let sendQueue: Queue;
  let admin: string;

  async function publish(type: string, payload: object, requestId?: string): Promise<string> {
    const id = randomUUID();
    await db.query(
      `INSERT INTO ordering.outbox (id, type, version, payload, request_id) VALUES ($1, $2, 1, $3, $4)`,
      [id, type, JSON.stringify(payload), requestId ?? null],
    );
    return id;
  }

  async function customerId(email: string): Promise<string> {
    const { rows } = await db.query<{ id: string }>(
      'SELECT id FROM identity.accounts WHERE email = $1',
      [email],
    );
    return rows[0].id;
  }

  async function messages(orderId: string): Promise<MessageRow[]> {
    const { rows } = await db.query<MessageRow>(
      `SELECT id, kind, status, attempts, last_error, message_id, to_address, sent_at
         FROM notifications.messages WHERE order_id = $1 ORDER BY kind`,
      [orderId],
    );
    return rows;
  }

  async function processed(eventId: string): Promise<void> {
    const { rows } = await db.query(
      'SELECT 1 FROM notifications.processed_events WHERE event_id = $1',
      [eventId],
    );
    if (rows.length === 0) throw new Error(`event ${eventId} not processed yet`);
  }

  async function sendQueueIdle(): Promise<void> {
    const counts = await sendQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    const busy = Object.entries(counts).filter(([, n]) => n > 0);
    // The sweeper's scheduled job is always delayed until its next run; it sends nothing here.
    const scheduled = (await sendQueue.getDelayed()).filter((j) => j.name === 'sweep').length;
    if (busy.some(([state, n]) => (state === 'delayed' ? n - scheduled : n) > 0)) {
      throw new Error(`send queue busy: ${JSON.stringify(counts)}`);
    }
  }

  beforeAll(async () => {
    db = primary();
    await smtp.start();
    const env = {
      MODULES,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtp.url,
      NOTIFY_ATTEMPTS: String(ATTEMPTS),
      NOTIFY_BACKOFF_MS: '100',
    };
    apiProcess = await AppProcess.start({ ...env, ROLE: 'api' });
    worker = await AppProcess.start({ ...env, ROLE: 'worker' });
    admin = await adminToken(apiProcess.url);
    sendQueue = new Queue('notifications-send', {
      connection: { host: '127.0.0.1', port: 6379 },
      prefix,
    });
  });

  afterAll(async () => {
    await worker?.stop();
    await apiProcess?.stop();
    await sendQueue?.obliterate({ force: true }).catch(() => undefined);
    await sendQueue?.close();
    // The other queues of this run's prefix.
    for (const name of ['notifications-inbox', 'catalog-inbox']) {
      const q = new Queue(name, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await smtp.stop();
    await db?.end();
  });

  it('sends one mail per order event to the customer, with its subject and Message-ID', async () => {
    const customer = await newCustomer(apiProcess.url);
    const buyer = await customerId(customer.email);
    const orderId = randomUUID();
    const base = { orderId, customerId: buyer, reservationId: randomUUID() };
    await publish(
      'ordering.order.placed',
      {
        ...base,
        totalMinor: 2598,
        currency: 'EUR',
        paymentMethod: 'card',
        lines: [
          {
            sku: 'MUG-1',
            productId: randomUUID(),
            name: 'Mug <b>',
            quantity: 2,
            unitPriceMinor: 1299,
          },
        ],
        placedAt: new Date().toISOString(),
      },
      'trace-notify-placed',
    );
    await publish('ordering.order.paid', {
      ...base,
      paymentId: randomUUID(),
      totalMinor: 2598,
      currency: 'EUR',
    });
    await publish('ordering.order.cancelled', { ...base, reason: 'admin' });

    await eventually(() => expect(smtp.mailsTo(customer.email)).toHaveLength(3), {
      timeoutMs: 30_000,
    });
    const rows = await eventually(async () => {
      const r = await messages(orderId);
      expect(r.map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
      return r;
    });
    expect(rows.map((r) => r.kind)).toEqual(['order_cancelled', 'order_paid', 'order_placed']);
    const ref = orderId.slice(0, 8).toUpperCase();
    const subjects: Record<string, string> = {
      order_placed: `Order ${ref} received`,
      order_paid: `Payment received for order ${ref}`,
      order_cancelled: `Order ${ref} cancelled`,
    };
    const mails = smtp.mailsTo(customer.email);
    for (const row of rows) {
      expect(row.message_id).toBe(`<${row.id}@scaleshop>`);
      expect(row.to_address).toBe(customer.email);
      expect(row.attempts).toBe(1);
      expect(row.sent_at).not.toBeNull();
      const mail = mails.filter((m) => m.headers.get('message-id') === row.message_id);
      expect(mail).toHaveLength(1);
      expect(mail[0].headers.get('subject')).toBe(subjects[row.kind]);
      expect(mail[0].headers.get('to')).toBe(customer.email);
    }
    const placed = mails.find((m) => m.headers.get('subject') === subjects.order_placed);
    const body = decodeQuotedPrintable(placed?.raw ?? '');
    expect(body).toContain('2 × Mug <b>: €25.98'); // text part
    expect(body).toContain('<td>Mug &lt;b&gt;</td>'); // HTML part, escaped

    // The send job carries the request id of the outbox row that caused it.
    const placedRow = rows.find((r) => r.kind === 'order_placed')!;
    const job = await sendQueue.getJob(placedRow.id);
    expect(job?.data).toEqual({ messageId: placedRow.id, requestId: 'trace-notify-placed' });

    // The same fact again (a new event id, same order and kind): no second mail.
    const again = await publish('ordering.order.paid', {
      ...base,
      paymentId: randomUUID(),
      totalMinor: 2598,
      currency: 'EUR',
    });
    await eventually(() => processed(again), { timeoutMs: 20_000 });
    await eventually(sendQueueIdle);
    expect(await messages(orderId)).toHaveLength(3);
    expect(smtp.mailsTo(customer.email)).toHaveLength(3);
  });

  it('retries a refused recipient with backoff, fails it, and delivers once after a retry in Bull Board', async () => {
    const customer = await newCustomer(apiProcess.url);
    const buyer = await customerId(customer.email);
    smtp.reject.add(customer.email);
    const orderId = randomUUID();
    await publish(
      'ordering.order.cancelled',
      { orderId, customerId: buyer, reservationId: randomUUID(), reason: 'payment_failed' },
      'trace-notify-refused',
    );

    const [failed] = await eventually(
      async () => {
        const r = await messages(orderId);
        expect(r.map((m) => m.status)).toEqual(['failed']);
        return r;
      },
      { timeoutMs: 30_000 },
    );
    expect(failed.attempts).toBe(ATTEMPTS);
    expect(failed.last_error).toMatch(/550/);
    expect(smtp.rcptAttempts.get(customer.email)).toBe(ATTEMPTS);
    expect(smtp.mailsTo(customer.email)).toHaveLength(0);

    const job = await sendQueue.getJob(failed.id);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(ATTEMPTS);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 100 });
    expect(job?.data.requestId).toBe('trace-notify-refused');

    // Bull Board lists it among the failed jobs of the send queue.
    const board = await api<{ queues: { name: string; jobs: { id: string }[] }[] }>(
      apiProcess.url,
      '/admin/queues/api/queues?activeQueue=notifications-send&status=failed&page=1&jobsPerPage=50',
      { token: admin },
    );
    expect(board.status).toBe(200);
    const listed = board.body.queues.find((q) => q.name === 'notifications-send');
    expect(listed?.jobs.map((j) => j.id)).toContain(failed.id);

    // The server accepts again; an admin retries the job through Bull Board.
    smtp.reject.delete(customer.email);
    const retry = await api(
      apiProcess.url,
      `/admin/queues/api/queues/notifications-send/${failed.id}/retry`,
      { method: 'PUT', token: admin },
    );
    expect(retry.status).toBe(204);
    await eventually(() => expect(smtp.mailsTo(customer.email)).toHaveLength(1), {
      timeoutMs: 20_000,
    });
    const [sent] = await eventually(async () => {
      const r = await messages(orderId);
      expect(r[0].status).toBe('sent');
      return r;
    });
    expect(sent.attempts).toBe(ATTEMPTS + 1);
    expect(sent.last_error).toBeNull();
    expect(smtp.mailsTo(customer.email)[0].headers.get('message-id')).toBe(
      `<${sent.id}@scaleshop>`,
    );
    expect(await (await sendQueue.getJob(sent.id))?.getState()).toBe('completed');
    await eventually(sendQueueIdle);
    expect(smtp.mailsTo(customer.email)).toHaveLength(1);
  });
  it('re-enqueues messages left queued for over a minute (lost job), and only those', async () => {
    const customer = await newCustomer(apiProcess.url);
    const buyer = await customerId(customer.email);
    const insert = (id: string, age: string) =>
      db.query(
        `INSERT INTO notifications.messages (id, kind, order_id, customer_id, to_address, subject,
           text_body, html_body, message_id, request_id, created_at)
         VALUES ($1, 'order_paid', $2, $3, $4, 'Lost job', 'text', '<p>html</p>', $5, $6, now() - $7::interval)`,
        [id, randomUUID(), buyer, customer.email, `<${id}@scaleshop>`, `trace-${id}`, age],
      );
    const stale = randomUUID();
    const fresh = randomUUID();
    await insert(stale, '2 minutes');
    await insert(fresh, '0 seconds');

    // Run the sweeper's scheduler now, through Bull Board, instead of waiting for its 30 s tick.
    const run = await eventually(async () => {
      // The worker upserts the scheduler at start, without holding up its boot.
      const res = await api<{ job: { id: string } }>(
        apiProcess.url,
        '/admin/queues/api/queues/notifications-send/job-schedulers/notifications-sweep-stale/run',
        { method: 'PUT', token: admin },
      );
      expect(res.status).toBe(200);
      return res;
    });
    // The sweep job removes itself on completion; its one addBulk is atomic, so once the stale
    // message's job exists the sweep has decided about the fresh one too.
    await eventually(async () => {
      const job = await sendQueue.getJob(run.body.job.id);
      expect(job === undefined || (await job.getState()) === 'completed').toBe(true);
      expect(await sendQueue.getJob(stale)).toBeDefined();
    });
    await eventually(() => expect(smtp.mailsTo(customer.email)).toHaveLength(1));
    expect(smtp.mailsTo(customer.email)[0].headers.get('message-id')).toBe(`<${stale}@scaleshop>`);
    const { rows } = await db.query<{ id: string; status: string }>(
      'SELECT id, status FROM notifications.messages WHERE id = ANY($1::uuid[])',
      [[stale, fresh]],
    );
    await eventually(async () => {
      const { rows: now } = await db.query<{ status: string }>(
        'SELECT status FROM notifications.messages WHERE id = $1',
        [stale],
      );
      expect(now[0].status).toBe('sent');
    });
    expect(rows.find((r) => r.id === fresh)?.status).toBe('queued');
    expect(await sendQueue.getJob(fresh)).toBeUndefined();
    expect((await sendQueue.getJob(stale))?.data).toEqual({
      messageId: stale,
      requestId: `trace-${stale}`,
    });
  });
});
