import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct, metric, type JsonResponse } from '../support/http.js';
import { mintCustomer } from '../support/customers.js';

interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}
interface Order {
  id: string;
  status: string;
  lines: OrderLine[];
  totalMinor: number;
  currency: string;
  placedAt: string;
  customerId?: string;
  cancelReason?: string | null;
  paymentId?: string | null;
}
interface Page {
  items: Order[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  code: string;
}

function expectProblem(res: JsonResponse, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  if (code) expect((res.body as unknown as Problem).code).toBe(code);
}

/** Shared arrangements: one app, its admin, products with stock. */
class Shop {
  admin = '';
  db: pg.Pool = primary();
  constructor(public app: AppProcess) {}

  static async start(env: Record<string, string>): Promise<Shop> {
    const shop = new Shop(await AppProcess.start(env));
    shop.admin = await adminToken(shop.app.url);
    return shop;
  }

  async product(sku: string, priceMinor: number, onHand: number, hot = false): Promise<void> {
    await createProduct(this.app.url, this.admin, { sku, priceMinor });
    const res = await api(this.app.url, `/api/v1/admin/inventory/${sku}`, {
      method: 'PUT',
      token: this.admin,
      body: { onHand, hot },
    });
    expect(res.status).toBe(200);
  }

  customer() {
    return mintCustomer(this.db, this.app.env.JWT_ACCESS_SECRET);
  }

  checkout(token: string, key: string | null, body: unknown) {
    return api<Order>(this.app.url, '/api/v1/checkout', {
      method: 'POST',
      token,
      body,
      headers: key === null ? {} : { 'idempotency-key': key },
    });
  }

  async ordersOf(customerId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ordering.orders WHERE customer_id = $1`,
      [customerId],
    );
    return rows[0].n;
  }

  async available(sku: string): Promise<number> {
    const res = await api<{ available: number }>(this.app.url, `/api/v1/admin/inventory/${sku}`, {
      token: this.admin,
    });
    return res.body.available;
  }

  async stop() {
    await this.app.stop();
    await this.db.end();
  }
}

const tag = Date.now().toString(36);

/**
 * Checkout against real processes with inventory and payments: Idempotency-Key semantics
 * (replay, reuse, concurrent duplicates), sold out, own-data reads, admin lists and the order
 * state machine driven by the API and by payment and reservation events.
 */
describe('ordering: checkout and orders', () => {
  describe('with payments held back (orders stay pending_payment)', () => {
    let shop: Shop;
    const A = `CO-A-${tag}`;
    const B = `CO-B-${tag}`;
    const S = `CO-S-${tag}`;

    beforeAll(async () => {
      shop = await Shop.start({ PAYMENTS_TEST_CONFIRM_DELAY_MS: '600000' });
      await shop.product(A, 1000, 1000);
      await shop.product(B, 250, 1000);
      await shop.product(S, 500, 3);
    });
    afterAll(() => shop?.stop());

    it('requires an Idempotency-Key (400) and stores nothing for an invalid body', async () => {
      const me = await shop.customer();
      const body = { paymentMethod: 'pm_card_visa', items: [{ sku: A, quantity: 1 }] };
      expectProblem(
        await shop.checkout(me.token, null, body),
        400,
        'ordering.idempotency_key_required',
      );
      expectProblem(await shop.checkout(me.token, 'x'.repeat(201), body), 400);
      expectProblem(await shop.checkout(me.token, 'k-invalid', { items: body.items }), 400);
      expectProblem(
        await shop.checkout(me.token, 'k-invalid', { ...body, items: [{ sku: A, quantity: 0 }] }),
        400,
      );
      expectProblem(
        await shop.checkout(me.token, 'k-invalid', {
          ...body,
          items: [{ sku: `NOPE-${tag}`, quantity: 1 }],
        }),
        422,
        'ordering.unknown_sku',
      );
      expectProblem(await api(shop.app.url, '/api/v1/checkout', { method: 'POST', body }), 401);
      // The key was not bound by the refused requests: a valid body with it places an order.
      const ok = await shop.checkout(me.token, 'k-invalid', body);
      expect(ok.status).toBe(201);
      expect(ok.headers.get('idempotent-replayed')).toBeNull();
    });

    it('replays the same key and body, refuses the same key with another body', async () => {
      const me = await shop.customer();
      const key = randomUUID();
      const body = {
        paymentMethod: 'pm_card_visa',
        items: [
          { sku: A, quantity: 2 },
          { sku: B, quantity: 1 },
        ],
      };
      const first = await shop.checkout(me.token, key, body);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        status: 'pending_payment',
        totalMinor: 2250,
        currency: 'EUR',
      });
      expect(first.body.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor])).toEqual([
        [A, 2, 1000],
        [B, 1, 250],
      ]);

      // Key order in the body does not matter: same canonical body.
      const again = await shop.checkout(me.token, key, {
        items: body.items,
        paymentMethod: body.paymentMethod,
      });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);

      expectProblem(
        await shop.checkout(me.token, key, { ...body, paymentMethod: 'pm_card_other' }),
        422,
        'ordering.idempotency_key_reused',
      );
      // Keys belong to their customer: another customer's identical key is a new request.
      const other = await shop.customer();
      const theirs = await shop.checkout(other.token, key, body);
      expect(theirs.status).toBe(201);
      expect(theirs.body.id).not.toBe(first.body.id);
      expect(await shop.ordersOf(me.id)).toBe(1);
    });

    it('20 concurrent duplicates place exactly one order', async () => {
      const me = await shop.customer();
      const key = randomUUID();
      const body = { paymentMethod: 'pm_card_visa', items: [{ sku: A, quantity: 1 }] };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => shop.checkout(me.token, key, body)),
      );
      const created = results.filter((r) => r.status === 201);
      const busy = results.filter((r) => r.status === 409);
      expect(created.length + busy.length).toBe(20);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      expect(created.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
      for (const r of busy) expectProblem(r, 409, 'ordering.request_in_progress');
      expect(await shop.ordersOf(me.id)).toBe(1);
      // Once settled, every retry replays that one order.
      const later = await shop.checkout(me.token, key, body);
      expect(later.body.id).toBe(created[0].body.id);
      expect(later.headers.get('idempotent-replayed')).toBe('true');
    });

    it('sold out: 409 ordering.sold_out, no order, and the key stays free', async () => {
      const [first, second] = [await shop.customer(), await shop.customer()];
      const body = { paymentMethod: 'pm_card_visa', items: [{ sku: S, quantity: 2 }] };
      expect((await shop.checkout(first.token, 'sale-1', body)).status).toBe(201);
      const refused = await shop.checkout(second.token, 'sale-1', body);
      expectProblem(refused, 409, 'ordering.sold_out');
      expect(await shop.ordersOf(second.id)).toBe(0);
      // The refusal changed nothing, so nothing was stored: a retry is answered afresh.
      const retry = await shop.checkout(second.token, 'sale-1', body);
      expectProblem(retry, 409, 'ordering.sold_out');
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
      const { rows } = await shop.db.query(
        `SELECT 1 FROM ordering.idempotency_keys WHERE customer_id = $1`,
        [second.id],
      );
      expect(rows).toHaveLength(0);
      expect(await shop.available(S)).toBe(1);
    });

    it('checks out the cart and empties it; an empty cart is 422', async () => {
      const me = await shop.customer();
      const url = shop.app.url;
      expectProblem(
        await shop.checkout(me.token, 'cart-empty', { paymentMethod: 'pm_card_visa' }),
        422,
        'ordering.empty_cart',
      );
      await api(url, `/api/v1/cart/lines/${A}`, {
        method: 'PUT',
        token: me.token,
        body: { quantity: 3 },
      });
      const placed = await shop.checkout(me.token, 'cart-1', { paymentMethod: 'pm_card_visa' });
      expect(placed.status).toBe(201);
      expect(placed.body.totalMinor).toBe(3000);
      const cart = await api<{ lines: unknown[] }>(url, '/api/v1/cart', { token: me.token });
      expect(cart.body.lines).toEqual([]);
    });

    it("reads only the caller's orders: another customer's id is 404, never the order", async () => {
      const [alice, bob] = [await shop.customer(), await shop.customer()];
      const placed = await shop.checkout(alice.token, 'own-1', {
        paymentMethod: 'pm_card_visa',
        items: [{ sku: B, quantity: 1 }],
      });
      // Read right after placing: found even if the replica has not replayed it yet.
      const mine = await api<Order>(shop.app.url, `/api/v1/orders/${placed.body.id}`, {
        token: alice.token,
      });
      expect(mine.status).toBe(200);
      expect(mine.body.id).toBe(placed.body.id);
      const theirs = await api(shop.app.url, `/api/v1/orders/${placed.body.id}`, {
        token: bob.token,
      });
      expectProblem(theirs, 404, 'ordering.order_not_found');
      expect(JSON.stringify(theirs.body)).not.toContain(B);
      expectProblem(
        await api(shop.app.url, `/api/v1/orders/${placed.body.id}/cancel`, {
          method: 'POST',
          token: bob.token,
        }),
        404,
      );
      expectProblem(
        await api(shop.app.url, '/api/v1/orders/not-a-uuid', { token: alice.token }),
        400,
      );
      const bobsList = await api<Page>(shop.app.url, '/api/v1/orders', { token: bob.token });
      expect(bobsList.body.items).toEqual([]);
    });

    it('lists own orders newest first in pages', async () => {
      const me = await shop.customer();
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await shop.checkout(me.token, `list-${i}`, {
          paymentMethod: 'pm_card_visa',
          items: [{ sku: B, quantity: i + 1 }],
        });
        ids.push(r.body.id);
      }
      const all = await eventually(async () => {
        const r = await api<Page>(shop.app.url, '/api/v1/orders?limit=2', { token: me.token });
        expect(r.body.items).toHaveLength(2);
        expect(r.body.nextCursor).not.toBeNull();
        const next = await api<Page>(
          shop.app.url,
          `/api/v1/orders?limit=2&cursor=${r.body.nextCursor}`,
          { token: me.token },
        );
        return [...r.body.items, ...next.body.items].map((o) => o.id);
      });
      expect(all).toEqual([...ids].reverse());
      expectProblem(
        await api(shop.app.url, '/api/v1/orders?cursor=garbage', { token: me.token }),
        400,
      );
    });

    it('cancels a pending order (stock released via the event); illegal moves are 409', async () => {
      const me = await shop.customer();
      const before = await shop.available(A);
      const placed = await shop.checkout(me.token, 'cancel-1', {
        paymentMethod: 'pm_card_visa',
        items: [{ sku: A, quantity: 4 }],
      });
      expect(await shop.available(A)).toBe(before - 4);
      // pending_payment → fulfilled is not a legal move.
      expectProblem(
        await api(shop.app.url, `/api/v1/admin/orders/${placed.body.id}/fulfil`, {
          method: 'POST',
          token: shop.admin,
        }),
        409,
        'ordering.illegal_transition',
      );
      const cancelled = await api<Order>(shop.app.url, `/api/v1/orders/${placed.body.id}/cancel`, {
        method: 'POST',
        token: me.token,
      });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expectProblem(
        await api(shop.app.url, `/api/v1/orders/${placed.body.id}/cancel`, {
          method: 'POST',
          token: me.token,
        }),
        409,
        'ordering.illegal_transition',
      );
      await eventually(async () => expect(await shop.available(A)).toBe(before));
      const { rows } = await shop.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ordering.outbox WHERE type = 'ordering.order.cancelled'
            AND payload->>'orderId' = $1`,
        [placed.body.id],
      );
      expect(rows[0].n).toBe(1);
    });

    it('admins see every order and filter by customer, status and placement time', async () => {
      const [c1, c2] = [await shop.customer(), await shop.customer()];
      const body = { paymentMethod: 'pm_card_visa', items: [{ sku: B, quantity: 1 }] };
      const o1 = await shop.checkout(c1.token, 'adm-1', body);
      const o2 = await shop.checkout(c2.token, 'adm-1', body);
      await api(shop.app.url, `/api/v1/orders/${o2.body.id}/cancel`, {
        method: 'POST',
        token: c2.token,
      });
      const admin = (q: string) =>
        api<Page>(shop.app.url, `/api/v1/admin/orders${q}`, { token: shop.admin });

      await eventually(async () => {
        const byC1 = await admin(`?customerId=${c1.id}`);
        expect(byC1.body.items.map((o) => o.id)).toEqual([o1.body.id]);
        expect(byC1.body.items[0].customerId).toBe(c1.id);
        const cancelledOfC2 = await admin(`?customerId=${c2.id}&status=cancelled`);
        expect(cancelledOfC2.body.items.map((o) => o.id)).toEqual([o2.body.id]);
        expect(cancelledOfC2.body.items[0].cancelReason).toBe('customer');
        const pendingOfC2 = await admin(`?customerId=${c2.id}&status=pending_payment`);
        expect(pendingOfC2.body.items).toEqual([]);
      });
      const from = new Date(new Date(o1.body.placedAt).getTime() + 3_600_000).toISOString();
      expect((await admin(`?customerId=${c1.id}&placedFrom=${from}`)).body.items).toEqual([]);
      const until = new Date(new Date(o1.body.placedAt).getTime() + 1).toISOString();
      expect((await admin(`?customerId=${c1.id}&placedTo=${until}`)).body.items).toHaveLength(1);
      const one = await admin('?limit=1');
      expect(one.body.items).toHaveLength(1);
      expect((await admin('?limit=1000')).body.items.length).toBeLessThanOrEqual(100);
      expectProblem(await admin('?status=bogus'), 400);
      const detail = await api<Order>(shop.app.url, `/api/v1/admin/orders/${o1.body.id}`, {
        token: shop.admin,
      });
      expect(detail.status).toBe(200);
      expect(detail.body.customerId).toBe(c1.id);
      expectProblem(
        await api(shop.app.url, `/api/v1/admin/orders/${o1.body.id}`, { token: c1.token }),
        403,
      );
    });
  });

  describe('with the test payment provider confirming', () => {
    let shop: Shop;
    const P = `CO-P-${tag}`;

    beforeAll(async () => {
      shop = await Shop.start({ QUEUE_PREFIX: `t${process.pid}pay` });
      await shop.product(P, 700, 100);
    });
    afterAll(() => shop?.stop());

    const order = (token: string, id: string) =>
      api<Order>(shop.app.url, `/api/v1/admin/orders/${id}`, { token });

    it('a succeeded payment marks the order paid; it can then be fulfilled once', async () => {
      const me = await shop.customer();
      const placed = await shop.checkout(me.token, 'pay-1', {
        paymentMethod: 'pm_card_visa',
        items: [{ sku: P, quantity: 1 }],
      });
      expect(placed.status).toBe(201);
      const paid = await eventually(async () => {
        const r = await order(shop.admin, placed.body.id);
        expect(r.body.status).toBe('paid');
        return r.body;
      });
      expect(paid.paymentId).toEqual(expect.any(String));
      const fulfilled = await api<Order>(
        shop.app.url,
        `/api/v1/admin/orders/${placed.body.id}/fulfil`,
        {
          method: 'POST',
          token: shop.admin,
        },
      );
      expect(fulfilled.status).toBe(200);
      expect(fulfilled.body.status).toBe('fulfilled');
      expectProblem(
        await api(shop.app.url, `/api/v1/admin/orders/${placed.body.id}/fulfil`, {
          method: 'POST',
          token: shop.admin,
        }),
        409,
        'ordering.illegal_transition',
      );
      const { rows } = await shop.db.query<{ type: string }>(
        `SELECT type FROM ordering.outbox WHERE payload->>'orderId' = $1 ORDER BY occurred_at`,
        [placed.body.id],
      );
      expect(rows.map((r) => r.type)).toEqual([
        'ordering.order.placed',
        'ordering.order.paid',
        'ordering.order.fulfilled',
      ]);
    });

    it('a declined payment cancels the order with reason payment_failed', async () => {
      const me = await shop.customer();
      const placed = await shop.checkout(me.token, 'pay-2', {
        paymentMethod: 'pm_card_declined',
        items: [{ sku: P, quantity: 1 }],
      });
      const cancelled = await eventually(async () => {
        const r = await order(shop.admin, placed.body.id);
        expect(r.body.status).toBe('cancelled');
        return r.body;
      });
      expect(cancelled.cancelReason).toBe('payment_failed');
    });
  });

  describe('with reservations that expire quickly', () => {
    let shop: Shop;
    const E = `CO-E-${tag}`;

    beforeAll(async () => {
      shop = await Shop.start({
        QUEUE_PREFIX: `t${process.pid}exp`,
        PAYMENTS_TEST_CONFIRM_DELAY_MS: '600000',
        RESERVATION_TTL_MS: '1000',
        RESERVATION_SWEEP_MS: '100',
      });
      await shop.product(E, 300, 10);
    });
    afterAll(() => shop?.stop());

    it('an unpaid order expires with its reservation', async () => {
      const me = await shop.customer();
      const placed = await shop.checkout(me.token, 'exp-1', {
        paymentMethod: 'pm_card_visa',
        items: [{ sku: E, quantity: 2 }],
      });
      expect(placed.status).toBe(201);
      await eventually(async () => {
        const r = await api<Order>(shop.app.url, `/api/v1/orders/${placed.body.id}`, {
          token: me.token,
        });
        expect(r.body.status).toBe('expired');
      });
      expect(await shop.available(E)).toBe(10);
    });
  });

  describe('flash sale on a hot SKU (api-only process: no background work counts)', () => {
    let shop: Shop;
    const H = `CO-H-${tag}`;

    beforeAll(async () => {
      shop = await Shop.start({ ROLE: 'api', QUEUE_PREFIX: `t${process.pid}hot` });
      await shop.product(H, 100, 1, true);
    });
    afterAll(() => shop?.stop());

    it('a sold-out refusal costs a handful of SQL statements, never an order', async () => {
      const winner = await shop.customer();
      const body = { paymentMethod: 'pm_card_visa', items: [{ sku: H, quantity: 1 }] };
      expect((await shop.checkout(winner.token, 'hot-0', body)).status).toBe(201);
      const buyers = await Promise.all(Array.from({ length: 10 }, () => shop.customer()));
      const statements = async () =>
        (await metric(shop.app.url, 'scaleshop_db_queries_total', { target: 'primary' })) +
        (await metric(shop.app.url, 'scaleshop_db_queries_total', { target: 'replica' }));
      const before = await statements();
      for (const b of buyers)
        expectProblem(await shop.checkout(b.token, 'hot-1', body), 409, 'ordering.sold_out');
      const perRefusal = ((await statements()) - before) / buyers.length;
      // Inventory's gate knows the SKU is sold out (one Redis read): only the key is looked up.
      expect(perRefusal).toBeLessThanOrEqual(1);
      const { rows } = await shop.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ordering.order_lines WHERE sku = $1`,
        [H],
      );
      expect(rows[0].n).toBe(1);
    });
  });
});
