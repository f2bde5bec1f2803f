import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { QUEUE_REDIS_URL } from '../support/test-env.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct, metric, newCustomer } from '../support/http.js';

interface Stock {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  hot: boolean;
}
interface Problem {
  status: number;
  code: string;
  type?: string;
}

/**
 * Inventory's admin API, the catalog's in-stock flag following stock events through the worker,
 * and the expiry sweeper, against a real process (ROLE=all), PostgreSQL and Redis.
 */
describe('inventory: admin stock, catalog in-stock flag, expiry sweep', () => {
  let app: AppProcess;
  let db: pg.Pool;
  let token: string;
  const tag = Date.now().toString(36);
  const path = (sku: string) => `/api/v1/admin/inventory/${sku}`;
  const put = <T>(sku: string, body: unknown, t: string | undefined = token) =>
    api<T>(app.url, path(sku), { method: 'PUT', token: t, body });

  /**
   * A reservation as reserve() leaves it (reserve has no HTTP route; the port itself is exercised
   * in inventory-concurrency): the line's units counted in reserved unless it is not held.
   */
  const arrangeReservation = async (
    sku: string,
    quantity: number,
    opts: { status?: string; expiresIn?: string } = {},
  ) => {
    const id = randomUUID();
    const reference = `order-${randomUUID()}`;
    const status = opts.status ?? 'held';
    if (status === 'held')
      await db.query(`UPDATE inventory.stock SET reserved = reserved + $2 WHERE sku = $1`, [
        sku,
        quantity,
      ]);
    await db.query(
      `INSERT INTO inventory.reservations (id, reference, status, expires_at)
       VALUES ($1, $2, $3, now() + $4::interval)`,
      [id, reference, status, opts.expiresIn ?? '15 minutes'],
    );
    await db.query(
      `INSERT INTO inventory.reservation_lines (reservation_id, sku, quantity) VALUES ($1, $2, $3)`,
      [id, sku, quantity],
    );
    return { id, reference };
  };
  /** Publishes an ordering event the way ordering's outbox would. */
  const orderEvent = (type: string, reservationId: string) =>
    db.query(
      `INSERT INTO ordering.outbox (id, type, version, payload) VALUES ($1, $2, 1, $3::jsonb)`,
      [
        randomUUID(),
        type,
        JSON.stringify({ orderId: randomUUID(), customerId: randomUUID(), reservationId }),
      ],
    );
  const status = async (id: string) =>
    (
      await db.query<{ status: string }>(
        `SELECT status FROM inventory.reservations WHERE id = $1`,
        [id],
      )
    ).rows[0].status;

  beforeAll(async () => {
    db = primary();
    app = await AppProcess.start({
      ROLE: 'all',
      CACHE_ENABLED: 'true',
      RESERVATION_SWEEP_MS: '200',
    });
    token = await adminToken(app.url);
  });

  afterAll(async () => {
    await app.stop();
    await db.end();
    // This run's hot-SKU counters and maintenance queue (the prefix is this run's).
    const redis = new Redis(QUEUE_REDIS_URL);
    const prefix = app.env.QUEUE_PREFIX;
    const keys = [
      ...(await redis.keys(`${prefix}:inventory:*`)),
      ...(await redis.keys(`${prefix}:inventory-maintenance:*`)),
    ];
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  describe('admin API', () => {
    it('requires an admin: 401 without a token, 403 for a customer', async () => {
      const anon = await api<Problem>(app.url, path(`A-${tag}`));
      expect(anon.status).toBe(401);
      expect(anon.headers.get('content-type')).toContain('application/problem+json');
      const customer = await newCustomer(app.url);
      const get = await api<Problem>(app.url, path(`A-${tag}`), { token: customer.accessToken });
      expect(get.status).toBe(403);
      const set = await put<Problem>(`A-${tag}`, { onHand: 5 }, customer.accessToken);
      expect(set.status).toBe(403);
      const { rows } = await db.query(`SELECT 1 FROM inventory.stock WHERE sku = $1`, [`A-${tag}`]);
      expect(rows).toHaveLength(0);
    });

    it.each([
      [{ onHand: -1 }],
      [{ onHand: 1.5 }],
      [{ onHand: '3' }],
      [{}],
      [{ onHand: 3, hot: 'yes' }],
      [{ onHand: 3, extra: true }],
    ])('refuses body %j with a 4xx problem', async (body) => {
      const res = await put<Problem>(`B-${tag}`, body);
      expect([400, 422]).toContain(res.status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      const { rows } = await db.query(`SELECT 1 FROM inventory.stock WHERE sku = $1`, [`B-${tag}`]);
      expect(rows).toHaveLength(0);
    });

    it('refuses a malformed SKU and answers 404 for an unknown one', async () => {
      const bad = await put<Problem>('%20bad%20sku', { onHand: 1 });
      expect([400, 422]).toContain(bad.status);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      const unknown = await api<Problem>(app.url, path(`NOPE-${tag}`), { token });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('inventory.stock_not_found');
    });

    it('sets and reads stock; on-hand cannot go below reserved (409)', async () => {
      const sku = `C-${tag}`;
      const set = await put<Stock>(sku, { onHand: 10, hot: true });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ sku, onHand: 10, reserved: 0, available: 10, hot: true });
      await db.query(`UPDATE inventory.stock SET reserved = 4 WHERE sku = $1`, [sku]);
      const below = await put<Problem>(sku, { onHand: 3 });
      expect(below.status).toBe(409);
      expect(below.body.code).toBe('inventory.on_hand_below_reserved');
      const ok = await put<Stock>(sku, { onHand: 4 });
      expect(ok.body).toEqual({ sku, onHand: 4, reserved: 4, available: 0, hot: true });
      const get = await api<Stock>(app.url, path(sku), { token });
      expect(get.status).toBe(200);
      expect(get.body).toEqual(ok.body);
      const events = await db.query<{ payload: { sku: string; available: number } }>(
        `SELECT payload FROM inventory.outbox WHERE type = 'inventory.stock.changed'
          AND payload->>'sku' = $1 ORDER BY occurred_at`,
        [sku],
      );
      // Every admin change is published (the refused one is not).
      expect(events.rows.map((r) => r.payload.available)).toEqual([10, 0]);
    });
  });

  it("flips the catalog product's in-stock flag with its only SKU's stock (through the worker)", async () => {
    const sku = `FLIP-${tag}`;
    const product = await createProduct(app.url, token, { sku, status: 'active' });
    const shopInStock = async () => {
      const res = await api<{ inStock: boolean }>(app.url, `/api/v1/products/${product.id}`);
      expect(res.status).toBe(200);
      return res.body.inStock;
    };
    await eventually(async () => expect(await shopInStock()).toBe(true));
    expect((await put(sku, { onHand: 0 })).status).toBe(200);
    await eventually(async () => expect(await shopInStock()).toBe(false));
    const doc = await db.query<{ in_stock: boolean }>(
      `SELECT in_stock FROM catalog.product_documents WHERE product_id = $1`,
      [product.id],
    );
    expect(doc.rows[0].in_stock).toBe(false);
    const listed = await api<{ items: { id: string }[] }>(
      app.url,
      `/api/v1/products?inStock=true&limit=100`,
    );
    expect(listed.body.items.map((i) => i.id)).not.toContain(product.id);
    expect((await put(sku, { onHand: 3 })).status).toBe(200);
    await eventually(async () => expect(await shopInStock()).toBe(true));

    // Inbox workers run events concurrently: an older stock event delivered late changes nothing.
    const stale = randomUUID();
    await db.query(
      `INSERT INTO inventory.outbox (id, type, version, payload, occurred_at)
       VALUES ($1, 'inventory.stock.changed', 1, $2::jsonb, now() - interval '1 hour')`,
      [stale, JSON.stringify({ sku, available: 0 })],
    );
    await eventually(async () => {
      const { rows } = await db.query(
        `SELECT 1 FROM catalog.processed_events WHERE event_id = $1 AND handler = 'stock-level-projector'`,
        [stale],
      );
      expect(rows).toHaveLength(1);
    });
    expect(await shopInStock()).toBe(true);
  });

  it('expires a held reservation past its expiry: stock returns, the event is in the outbox', async () => {
    const sku = `EXP-${tag}`;
    expect((await put(sku, { onHand: 5 })).status).toBe(200);
    const { id, reference } = await arrangeReservation(sku, 2, { expiresIn: '-1 second' });
    await eventually(async () => {
      const { rows } = await db.query<{ status: string }>(
        `SELECT status FROM inventory.reservations WHERE id = $1`,
        [id],
      );
      expect(rows[0].status).toBe('expired');
    });
    const stock = await api<Stock>(app.url, path(sku), { token });
    expect(stock.body).toMatchObject({ onHand: 5, reserved: 0, available: 5 });
    const { rows } = await db.query<{ payload: { reservationId: string; reference: string } }>(
      `SELECT payload FROM inventory.outbox WHERE type = 'inventory.reservation.expired'
        AND payload->>'reservationId' = $1`,
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].payload).toEqual({ reservationId: id, reference });
  });

  it('follows the order: paid commits, cancelled and expired release; paid after expiry is counted', async () => {
    const sku = `ORD-${tag}`;
    expect((await put(sku, { onHand: 10 })).status).toBe(200);
    const paid = await arrangeReservation(sku, 3);
    const cancelled = await arrangeReservation(sku, 2);
    const expiredOrder = await arrangeReservation(sku, 1);
    const lapsed = await arrangeReservation(sku, 4, { status: 'expired' });
    const countedBefore = await metric(app.url, 'scaleshop_inventory_paid_after_expiry_total');
    await orderEvent('ordering.order.paid', paid.id);
    await orderEvent('ordering.order.cancelled', cancelled.id);
    await orderEvent('ordering.order.expired', expiredOrder.id);
    await orderEvent('ordering.order.paid', lapsed.id);
    await eventually(async () => {
      expect(await status(paid.id)).toBe('committed');
      expect(await status(cancelled.id)).toBe('released');
      expect(await status(expiredOrder.id)).toBe('released');
    });
    await eventually(async () =>
      expect(await metric(app.url, 'scaleshop_inventory_paid_after_expiry_total')).toBe(
        countedBefore + 1,
      ),
    );
    expect(await status(lapsed.id)).toBe('expired');
    const stock = await api<Stock>(app.url, path(sku), { token });
    expect(stock.body).toMatchObject({ onHand: 7, reserved: 0, available: 7 });
  });
});
