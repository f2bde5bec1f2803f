import type { OrderStatus } from '../ordering.contract.js';
import type { OrderCursor } from '../domain/order-cursor.js';
import { ORDER_COLUMNS } from './order-rows.js';

/** Filters of an order list; each one narrows to an index of the migration. */
export interface OrderListFilter {
  status?: OrderStatus;
  customerId?: string;
  placedFrom?: string;
  placedTo?: string;
  after?: OrderCursor;
}

/**
 * Newest first, keyset pages of `limit + 1` rows (the extra row says whether a next page
 * exists). Served by orders_customer_placed_idx, orders_status_placed_idx or orders_placed_idx;
 * test/e2e/ordering-explain.e2e-spec.ts checks the plans.
 */
export function orderListQuery(
  filter: OrderListFilter,
  limit: number,
): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: (n: string) => string, value: unknown) => {
    params.push(value);
    where.push(clause(`$${params.length}`));
  };
  if (filter.customerId) add((n) => `o.customer_id = ${n}::uuid`, filter.customerId);
  if (filter.status) add((n) => `o.status = ${n}`, filter.status);
  if (filter.placedFrom) add((n) => `o.placed_at >= ${n}::timestamptz`, filter.placedFrom);
  if (filter.placedTo) add((n) => `o.placed_at < ${n}::timestamptz`, filter.placedTo);
  if (filter.after) {
    params.push(filter.after.placedAt, filter.after.id);
    const [p, i] = [params.length - 1, params.length];
    where.push(`(o.placed_at, o.id) < ($${p}::timestamptz, $${i}::uuid)`);
  }
  params.push(limit + 1);
  const sql = `SELECT ${ORDER_COLUMNS} FROM ordering.orders o
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY o.placed_at DESC, o.id DESC LIMIT $${params.length}`;
  return { sql, params };
}

/** One order by id (optionally of one customer): a primary-key probe per partition. */
export const ORDER_BY_ID = `SELECT ${ORDER_COLUMNS} FROM ordering.orders o
  WHERE o.id = $1 AND ($2::uuid IS NULL OR o.customer_id = $2)`;
