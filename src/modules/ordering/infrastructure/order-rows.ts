import type { OrderStatus } from '../ordering.contract.js';
import type { AdminOrderView, OrderView } from '../application/order-view.js';
import type { PricedLine } from '../domain/order-pricing.js';

/** A row of ordering.orders with its lines aggregated (see ORDER_COLUMNS). */
export interface OrderRow {
  id: string;
  customerId: string;
  status: OrderStatus;
  reservationId: string;
  paymentId: string | null;
  cancelReason: string | null;
  totalMinor: string | number;
  currency: string;
  placedAt: Date;
  updatedAt: Date;
  lines: Omit<PricedLine, 'lineTotalMinor'>[] | null;
}

/** Columns of `ordering.orders o` and its lines as one JSON array (pruned to o's partition). */
export const ORDER_COLUMNS = `o.id, o.customer_id AS "customerId", o.status,
  o.reservation_id AS "reservationId", o.payment_id AS "paymentId",
  o.cancel_reason AS "cancelReason", o.total_minor AS "totalMinor", o.currency,
  o.placed_at AS "placedAt", o.updated_at AS "updatedAt",
  (SELECT json_agg(json_build_object('sku', l.sku, 'productId', l.product_id, 'name', l.name,
            'quantity', l.quantity, 'unitPriceMinor', l.unit_price_minor) ORDER BY l.sku)
     FROM ordering.order_lines l
    WHERE l.order_id = o.id AND l.placed_at = o.placed_at) AS lines`;

export function toOrderView(row: OrderRow): OrderView {
  return {
    id: row.id,
    status: row.status,
    lines: (row.lines ?? []).map((l) => ({ ...l, lineTotalMinor: l.unitPriceMinor * l.quantity })),
    totalMinor: Number(row.totalMinor),
    currency: row.currency,
    placedAt: new Date(row.placedAt).toISOString(),
  };
}

export function toAdminOrderView(row: OrderRow): AdminOrderView {
  return {
    ...toOrderView(row),
    customerId: row.customerId,
    paymentId: row.paymentId,
    cancelReason: row.cancelReason,
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
