import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct, type JsonResponse } from '../support/http.js';
import { mintCustomer } from '../support/customers.js';

interface CartLine {
  sku: string;
  quantity: number;
  available: boolean;
  unitPriceMinor: number | null;
  lineTotalMinor: number | null;
  name: string | null;
}
interface Cart {
  lines: CartLine[];
  totalMinor: number;
  currency: string | null;
  itemCount: number;
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

/** Monthly partition names (UTC) from the current month to `ahead` months later. */
function monthSuffixes(ahead: number): string[] {
  const now = new Date();
  return Array.from({ length: ahead + 1 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + i, 1));
    return `${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
}

async function partitionsOf(db: pg.Pool, parent: string): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
       JOIN pg_namespace n ON n.oid = p.relnamespace
      WHERE n.nspname = 'ordering' AND p.relname = $1 ORDER BY 1`,
    [parent],
  );
  return rows.map((r) => r.name);
}

/**
 * Carts against a real process: lines priced from the catalog at read time, own data only,
 * problem+json for every refusal; and the monthly order partitions the migration and the
 * maintenance job create.
 */
describe('ordering: cart and order partitions', () => {
  let app: AppProcess;
  let db: pg.Pool;
  let admin: string;
  const tag = Date.now().toString(36);
  const SKU_A = `CART-A-${tag}`;
  const SKU_B = `CART-B-${tag}`;
  const SKU_DRAFT = `CART-D-${tag}`;
  const SKU_USD = `CART-U-${tag}`;
  let productA: string;

  beforeAll(async () => {
    db = primary();
    app = await AppProcess.start();
    admin = await adminToken(app.url);
    productA = (await createProduct(app.url, admin, { sku: SKU_A, priceMinor: 1234 })).id;
    await createProduct(app.url, admin, { sku: SKU_B, priceMinor: 500 });
    await createProduct(app.url, admin, { sku: SKU_DRAFT, priceMinor: 100, status: 'draft' });
    await createProduct(app.url, admin, { sku: SKU_USD, priceMinor: 100, currency: 'USD' });
  });

  afterAll(async () => {
    await app?.stop();
    await db?.end();
  });

  const cart = (token: string) => api<Cart>(app.url, '/api/v1/cart', { token });
  const put = (token: string, sku: string, quantity: unknown) =>
    api<Cart>(app.url, `/api/v1/cart/lines/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      token,
      body: { quantity },
    });

  it('refuses anonymous callers (401) and customers on admin routes (403), as problem+json', async () => {
    expectProblem(await api(app.url, '/api/v1/cart'), 401, 'auth.unauthenticated');
    expectProblem(
      await api(app.url, '/api/v1/cart/lines/X', { method: 'PUT', body: { quantity: 1 } }),
      401,
    );
    const me = await mintCustomer(db, app.env.JWT_ACCESS_SECRET);
    expectProblem(await api(app.url, '/api/v1/admin/orders', { token: me.token }), 403);
  });

  it('adds, sets, prices from the catalog and removes lines', async () => {
    const me = await mintCustomer(db, app.env.JWT_ACCESS_SECRET);
    const empty = await cart(me.token);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ lines: [], totalMinor: 0, currency: null, itemCount: 0 });

    let res = await put(me.token, SKU_A, 2);
    expect(res.status).toBe(200);
    expect(res.body.lines).toEqual([
      expect.objectContaining({ sku: SKU_A, quantity: 2, unitPriceMinor: 1234, available: true }),
    ]);
    expect(res.body.totalMinor).toBe(2468);
    expect(res.body.currency).toBe('EUR');

    // PUT sets the quantity (it does not add to it).
    expect((await put(me.token, SKU_A, 3)).status).toBe(200);
    res = await put(me.token, SKU_B, 1);
    expect(res.body.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [SKU_A, 3],
      [SKU_B, 1],
    ]);
    expect(res.body.totalMinor).toBe(3 * 1234 + 500);
    expect(res.body.itemCount).toBe(4);

    // The price is the catalog's at read time, not the one when the line was added.
    const patched = await api(app.url, `/api/v1/admin/products/${productA}`, {
      method: 'PATCH',
      token: admin,
      body: { priceMinor: 2000 },
    });
    expect(patched.status).toBe(200);
    const repriced = await eventually(async () => {
      const r = await cart(me.token);
      expect(r.body.lines.find((l) => l.sku === SKU_A)?.unitPriceMinor).toBe(2000);
      return r;
    });
    expect(repriced.body.totalMinor).toBe(3 * 2000 + 500);

    res = await api<Cart>(app.url, `/api/v1/cart/lines/${SKU_B}`, {
      method: 'DELETE',
      token: me.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.lines.map((l) => l.sku)).toEqual([SKU_A]);

    const cleared = await api(app.url, '/api/v1/cart', { method: 'DELETE', token: me.token });
    expect(cleared.status).toBe(204);
    expect((await cart(me.token)).body.lines).toEqual([]);
  });

  it('refuses unknown, unsold and mixed-currency SKUs with 422 and bad input with 400', async () => {
    const me = await mintCustomer(db, app.env.JWT_ACCESS_SECRET);
    expectProblem(await put(me.token, `NOPE-${tag}`, 1), 422, 'ordering.unknown_sku');
    expectProblem(await put(me.token, SKU_DRAFT, 1), 422, 'ordering.unknown_sku');
    for (const bad of [0, 100, 1.5, '2', null]) {
      expectProblem(await put(me.token, SKU_A, bad), 400);
    }
    expectProblem(
      await api(app.url, '/api/v1/cart/lines/A', {
        method: 'PUT',
        token: me.token,
        body: { quantity: 1, price: 1 },
      }),
      400,
    );
    expectProblem(await put(me.token, 'bad sku!', 1), 400, 'ordering.invalid_sku');
    expect((await put(me.token, SKU_A, 1)).status).toBe(200);
    expectProblem(await put(me.token, SKU_USD, 1), 422, 'ordering.mixed_currencies');
    // None of the refused lines was stored.
    expect((await cart(me.token)).body.lines.map((l) => l.sku)).toEqual([SKU_A]);
  });

  it("keeps each customer's cart to themselves", async () => {
    const alice = await mintCustomer(db, app.env.JWT_ACCESS_SECRET);
    const bob = await mintCustomer(db, app.env.JWT_ACCESS_SECRET);
    await put(alice.token, SKU_A, 5);
    expect((await cart(bob.token)).body.lines).toEqual([]);
    // Bob's deletes reach only Bob's cart.
    await api(app.url, `/api/v1/cart/lines/${SKU_A}`, { method: 'DELETE', token: bob.token });
    await api(app.url, '/api/v1/cart', { method: 'DELETE', token: bob.token });
    const aliceCart = await cart(alice.token);
    expect(aliceCart.body.lines).toEqual([expect.objectContaining({ sku: SKU_A, quantity: 5 })]);
  });

  it('has monthly order partitions from this month to 3 ahead, and no DEFAULT partition', async () => {
    const months = monthSuffixes(3);
    for (const parent of ['orders', 'order_lines']) {
      const names = await partitionsOf(db, parent);
      for (const m of months) expect(names).toContain(`${parent}_${m}`);
      expect(names.some((n) => n.endsWith('default'))).toBe(false);
    }
    const { rows } = await db.query<{ partitioned: boolean }>(
      `SELECT c.relkind = 'p' AS partitioned FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'ordering' AND c.relname IN ('orders', 'order_lines')`,
    );
    expect(rows.map((r) => r.partitioned)).toEqual([true, true]);
  });

  it('the maintenance jobs create further months when configured to and sweep expired keys', async () => {
    const beyond = monthSuffixes(6).slice(4);
    expect(await partitionsOf(db, 'orders')).not.toContain(`orders_${beyond[0]}`);
    const owner = randomUUID();
    await db.query(
      `INSERT INTO ordering.idempotency_keys (customer_id, key, request_hash, status, created_at, expires_at)
       VALUES ($1, 'old', 'h', 'completed', now() - interval '2 days', now() - interval '1 day'),
              ($1, 'live', 'h', 'completed', now(), now() + interval '1 day')`,
      [owner],
    );
    // Its own queue namespace: a fresh job scheduler, whose first sweep runs at once.
    const worker = await AppProcess.start({
      ROLE: 'worker',
      ORDER_PARTITIONS_AHEAD: '6',
      QUEUE_PREFIX: `t${process.pid}maint`,
    });
    try {
      await eventually(
        async () => {
          const orders = await partitionsOf(db, 'orders');
          const lines = await partitionsOf(db, 'order_lines');
          for (const m of beyond) {
            expect(orders).toContain(`orders_${m}`);
            expect(lines).toContain(`order_lines_${m}`);
          }
        },
        { timeoutMs: 20_000 },
      );
      // Idempotent: calling it again creates nothing.
      const { rows } = await db.query<{ created: number }>(
        `SELECT ordering.ensure_order_partitions(6) AS created`,
      );
      expect(rows[0].created).toBe(0);
      await eventually(async () => {
        const keys = await db.query<{ key: string }>(
          `SELECT key FROM ordering.idempotency_keys WHERE customer_id = $1`,
          [owner],
        );
        expect(keys.rows.map((r) => r.key)).toEqual(['live']);
      });
    } finally {
      await worker.stop();
    }
  });
});
