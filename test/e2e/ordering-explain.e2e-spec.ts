import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import {
  ORDER_BY_ID,
  orderListQuery,
} from '../../src/modules/ordering/infrastructure/order-list.sql.js';
import { primary } from '../support/db.js';

const ORDERS = 30_000;
const CUSTOMERS = 3_000;
const SEED_MARK = 'explain-seed';

/**
 * The order queries use the indexes the migration names for them, on realistically sized
 * partitions (planner statistics matter): no sequential scan of an order partition.
 */
describe('ordering: query plans', () => {
  let db: pg.Pool;
  let sample: { id: string; customerId: string; placedAt: string };

  beforeAll(async () => {
    db = primary();
    // Spread over the current month up to now, one line each; a few pending, most settled.
    await db.query(
      `INSERT INTO ordering.orders (id, customer_id, status, reservation_id, payment_method,
         total_minor, currency, placed_at, updated_at)
       SELECT gen_random_uuid(), c.id, s.status, gen_random_uuid()::text, $3, 1000, 'EUR', t.at, t.at
         FROM generate_series(1, $1::int) g
         CROSS JOIN LATERAL (SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g % $2::int), 12, '0'))::uuid AS id) c
         CROSS JOIN LATERAL (SELECT CASE WHEN g % 50 = 0 THEN 'pending_payment'
                                         WHEN g % 3 = 0 THEN 'fulfilled' ELSE 'paid' END AS status) s
         CROSS JOIN LATERAL (SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') +
                (now() - (date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')) * (g::float8 / $1::int) AS at) t`,
      [ORDERS, CUSTOMERS, SEED_MARK],
    );
    await db.query(
      `INSERT INTO ordering.order_lines (order_id, placed_at, sku, product_id, name, quantity, unit_price_minor)
       SELECT id, placed_at, 'SEED-SKU', gen_random_uuid(), 'Seed', 1, 1000
         FROM ordering.orders WHERE payment_method = $1`,
      [SEED_MARK],
    );
    await db.query(
      `INSERT INTO ordering.idempotency_keys (customer_id, key, request_hash, status, created_at, expires_at)
       SELECT gen_random_uuid(), 'k' || g, 'h', 'completed', now(), now() + interval '1 day' * (g % 2 + 1)
         FROM generate_series(1, 20000) g`,
    );
    await db.query(`ANALYZE ordering.orders`);
    await db.query(`ANALYZE ordering.order_lines`);
    await db.query(`ANALYZE ordering.idempotency_keys`);
    const { rows } = await db.query<{ id: string; customerId: string; placedAt: Date }>(
      `SELECT id, customer_id AS "customerId", placed_at AS "placedAt" FROM ordering.orders
        WHERE payment_method = $1 ORDER BY placed_at DESC LIMIT 1 OFFSET 100`,
      [SEED_MARK],
    );
    sample = { ...rows[0], placedAt: rows[0].placedAt.toISOString() };
  });

  afterAll(async () => {
    await db.query(
      `DELETE FROM ordering.order_lines WHERE sku = 'SEED-SKU';
       DELETE FROM ordering.orders WHERE payment_method = '${SEED_MARK}';
       DELETE FROM ordering.idempotency_keys WHERE request_hash = 'h' AND key LIKE 'k%'`,
    );
    await db.end();
  });

  async function plan(sql: string, params: unknown[]): Promise<string> {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  /** The seeded (current) month; empty future partitions are scanned for free and may be. */
  const now = new Date();
  const month = `${now.getUTCFullYear()}_${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  function expectNoSeqScanOfOrders(text: string) {
    expect(text).not.toContain(`Seq Scan on orders_${month}`);
    expect(text).not.toContain(`Seq Scan on order_lines_${month}`);
  }

  it("a customer's page uses orders_customer_placed_idx", async () => {
    for (const after of [undefined, { placedAt: sample.placedAt, id: sample.id }]) {
      const q = orderListQuery({ customerId: sample.customerId, after }, 20);
      const text = await plan(q.sql, q.params);
      expectNoSeqScanOfOrders(text);
      expect(text).toContain(`orders_${month}_customer_id_placed_at_id_idx`);
      // Lines come by primary key, pruned to the order's partition.
      expect(text).toContain(`order_lines_${month}_pkey`);
    }
  });

  it('admin lists use the status index or the placement index', async () => {
    const byStatus = orderListQuery({ status: 'pending_payment' }, 50);
    const statusPlan = await plan(byStatus.sql, byStatus.params);
    expectNoSeqScanOfOrders(statusPlan);
    expect(statusPlan).toContain(`orders_${month}_status_placed_at_id_idx`);

    const all = orderListQuery({}, 50);
    const allPlan = await plan(all.sql, all.params);
    expectNoSeqScanOfOrders(allPlan);
    expect(allPlan).toContain(`orders_${month}_placed_at_id_idx`);
  });

  it('one order by id probes the primary keys', async () => {
    const text = await plan(ORDER_BY_ID, [sample.id, sample.customerId]);
    expectNoSeqScanOfOrders(text);
    expect(text).toContain(`orders_${month}_pkey`);
    const other = await plan(ORDER_BY_ID, [randomUUID(), null]);
    expectNoSeqScanOfOrders(other);
  });

  it('the idempotency sweep uses idempotency_keys_expires_idx', async () => {
    const text = await plan(`DELETE FROM ordering.idempotency_keys WHERE expires_at < now()`, []);
    expect(text).toContain('idempotency_keys_expires_idx');
  });
});
