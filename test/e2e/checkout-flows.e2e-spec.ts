import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { Burst, type BurstResponse } from '../support/burst.js';
import { insertCustomers, type TestCustomer } from '../support/customers.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct } from '../support/http.js';
import { TestSmtpServer, type ReceivedMail } from '../support/notifications-smtp.js';

/** The "paid" mail (notifications' template: "Payment received for order …"). */
const isPaidMail = (m: ReceivedMail) => /^Payment received/.test(m.headers.get('subject') ?? '');

interface Order {
  id: string;
  status: string;
  code?: string;
}

/**
 * The checkout pipeline across real processes: an API process takes checkouts, a separate worker
 * process runs payments (the built-in test provider calls the API's webhook), inventory and
 * notifications (a real SMTP server on loopback). PostgreSQL primary + replica and Redis are real.
 */
describe('checkout pipeline: never oversells, never loses an order', () => {
  const run = `flow${Date.now().toString(36)}`;
  let apiApp: AppProcess;
  let worker: AppProcess;
  let smtp: TestSmtpServer;
  let db: pg.Pool;
  let admin: string;
  let burst: Burst;

  const workerEnv = () => ({
    ROLE: 'worker',
    QUEUE_PREFIX: run,
    CACHE_KEY_PREFIX: `${run}:cache`,
    PAYMENTS_TEST_WEBHOOK_URL: `${apiApp.url}/api/v1/payments/webhooks/test`,
    SMTP_URL: smtp.url,
    RESERVATION_SWEEP_MS: '500',
    NOTIFY_BACKOFF_MS: '100',
  });

  /** A product with one SKU and its stock, hot or not. */
  async function stocked(sku: string, onHand: number, hot: boolean): Promise<void> {
    await createProduct(apiApp.url, admin, {
      name: `Flash ${sku}`,
      status: 'active',
      variants: [{ sku, priceMinor: 2500, options: {} }],
    });
    const res = await api(apiApp.url, `/api/v1/admin/inventory/${sku}`, {
      method: 'PUT',
      token: admin,
      body: { onHand, hot },
    });
    expect(res.status).toBe(200);
  }

  const checkout = (customer: TestCustomer, sku: string, key = `${run}-${customer.id}-${sku}`) =>
    burst.post<Order>(
      '/api/v1/checkout',
      { paymentMethod: 'pm_card_visa', items: [{ sku, quantity: 1 }] },
      { authorization: `Bearer ${customer.token}`, 'idempotency-key': key },
    );

  function tally(responses: BurstResponse<Order>[]) {
    const by = new Map<string, number>();
    for (const r of responses) {
      const label = r.status === 409 ? `409 ${r.body.code}` : String(r.status);
      by.set(label, (by.get(label) ?? 0) + 1);
    }
    return Object.fromEntries(by);
  }

  async function ordersFor(sku: string) {
    const { rows } = await db.query<{ id: string; status: string; reservation_id: string }>(
      `SELECT o.id, o.status, o.reservation_id FROM ordering.orders o
         JOIN ordering.order_lines l ON l.order_id = o.id AND l.placed_at = o.placed_at
        WHERE l.sku = $1`,
      [sku],
    );
    return rows;
  }

  async function stockOf(sku: string) {
    const { rows } = await db.query<{ on_hand: number; reserved: number }>(
      'SELECT on_hand, reserved FROM inventory.stock WHERE sku = $1',
      [sku],
    );
    return rows[0];
  }

  /** Reservations holding `sku`, with whether an order exists for their reference. */
  async function reservationsFor(sku: string) {
    const { rows } = await db.query<{ id: string; status: string; has_order: boolean }>(
      `SELECT r.id, r.status,
              EXISTS (SELECT 1 FROM ordering.orders o WHERE o.id::text = r.reference) AS has_order
         FROM inventory.reservations r
         JOIN inventory.reservation_lines l ON l.reservation_id = r.id
        WHERE l.sku = $1`,
      [sku],
    );
    return rows;
  }

  /** Exactly `stock` orders, stock exactly 0 once paid, every reservation tied to an order. */
  async function expectSoldExactly(sku: string, stock: number, responses: BurstResponse<Order>[]) {
    const counts = tally(responses);
    expect(counts).toEqual({ '201': stock, '409 ordering.sold_out': responses.length - stock });
    const orders = await ordersFor(sku);
    expect(orders).toHaveLength(stock);
    const created = responses.filter((r) => r.status === 201).map((r) => r.body.id);
    expect(new Set(orders.map((o) => o.id))).toEqual(new Set(created));
    // Every order pays (test provider), which commits its reservation: nothing left, nothing below.
    await eventually(
      async () => {
        expect(await stockOf(sku)).toEqual({ on_hand: 0, reserved: 0 });
        const settled = await ordersFor(sku);
        expect(settled.filter((o) => o.status !== 'paid')).toEqual([]);
      },
      { timeoutMs: 90_000, intervalMs: 250 },
    );
    // The sweeper runs every 500 ms: after it, no reservation is held, none lacks its order.
    await new Promise((r) => setTimeout(r, 1_200));
    const reservations = await reservationsFor(sku);
    expect(reservations).toHaveLength(stock);
    expect(reservations.filter((r) => !r.has_order || r.status !== 'committed')).toEqual([]);
    const byReservation = new Set(orders.map((o) => o.reservation_id));
    expect(reservations.every((r) => byReservation.has(r.id))).toBe(true);
  }

  beforeAll(async () => {
    db = primary();
    smtp = new TestSmtpServer();
    await smtp.start();
    apiApp = await AppProcess.start({
      ROLE: 'api',
      QUEUE_PREFIX: run,
      CACHE_KEY_PREFIX: `${run}:cache`,
      DB_POOL_SIZE: '20',
    });
    worker = await AppProcess.start(workerEnv());
    admin = await adminToken(apiApp.url);
    burst = new Burst(apiApp.url, 200);
  });

  afterAll(async () => {
    burst?.close();
    await worker?.stop();
    await apiApp?.stop();
    await smtp?.stop();
    await db?.end();
  });

  it('2,000 concurrent checkouts of one SKU with stock 100 → exactly 100 orders (normal mode)', async () => {
    const sku = `FS-N-${run}`;
    await stocked(sku, 100, false);
    const customers = await insertCustomers(db, 2_000, `${run}n`);
    const responses = await Promise.all(customers.map((c) => checkout(c, sku)));
    await expectSoldExactly(sku, 100, responses);
  });

  it('5,000 concurrent checkouts of one hot SKU with stock 100 → exactly 100 orders (Redis gate)', async () => {
    const sku = `FS-H-${run}`;
    await stocked(sku, 100, true);
    const customers = await insertCustomers(db, 5_000, `${run}h`);
    const responses = await Promise.all(customers.map((c) => checkout(c, sku)));
    await expectSoldExactly(sku, 100, responses);
  });

  it('kill -9 of the worker amid 500 paid orders, then restart → every order paid once, one email each', async () => {
    const sku = `KILL-${run}`;
    await stocked(sku, 500, false);
    const customers = await insertCustomers(db, 500, `${run}k`);
    const responses = await Promise.all(customers.map((c) => checkout(c, sku)));
    expect(tally(responses)).toEqual({ '201': 500 });

    // Kill once some, not all, orders are paid: the batch is mid-flight.
    const paid = async () => (await ordersFor(sku)).filter((o) => o.status === 'paid').length;
    await eventually(async () => expect(await paid()).toBeGreaterThanOrEqual(20), {
      timeoutMs: 60_000,
      intervalMs: 20,
    });
    await worker.kill();
    const paidAtKill = await paid();
    expect(paidAtKill).toBeLessThan(500);
    worker = await AppProcess.start(workerEnv());

    await eventually(
      async () => {
        const orders = await ordersFor(sku);
        expect(orders.filter((o) => o.status !== 'paid')).toEqual([]);
        // Committed exactly once each: on_hand fell by exactly 500, nothing still reserved.
        expect(await stockOf(sku)).toEqual({ on_hand: 0, reserved: 0 });
        const reservations = await reservationsFor(sku);
        expect(reservations.filter((r) => r.status !== 'committed')).toEqual([]);
        for (const c of customers) {
          const mails = smtp.mailsTo(c.email).filter(isPaidMail);
          expect(new Set(mails.map((m) => m.headers.get('message-id'))).size).toBe(1);
        }
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    // At-least-once SMTP: a duplicate can only come from a send cut off by the kill itself.
    const paidMails = customers.flatMap((c) => smtp.mailsTo(c.email).filter(isPaidMail));
    expect(paidMails.length - customers.length).toBeLessThanOrEqual(10);
  });

  it("returns 404 for another customer's order, never the order", async () => {
    const sku = `OWN-${run}`;
    await stocked(sku, 5, false);
    const [alice, bob] = await insertCustomers(db, 2, `${run}o`);
    const placed = await checkout(alice, sku);
    expect(placed.status).toBe(201);
    const id = placed.body.id;
    const mine = await api<Order>(apiApp.url, `/api/v1/orders/${id}`, { token: alice.token });
    expect(mine.status).toBe(200);
    const theirs = await api<{ status: number }>(apiApp.url, `/api/v1/orders/${id}`, {
      token: bob.token,
    });
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(theirs.body)).not.toContain(alice.id);
  });
});
