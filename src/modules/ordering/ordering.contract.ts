/**
 * Public surface of the ordering context. Other contexts import this file only.
 */

/** Where an order is in its life. Legal moves: see ORDER_TRANSITIONS in the domain. */
export type OrderStatus = 'pending_payment' | 'paid' | 'fulfilled' | 'cancelled' | 'expired';

/** One line of a placed order, priced when the order was placed. */
export interface OrderLineV1 {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
}

/** Emitted when checkout placed an order (its stock is reserved, its payment not yet taken). */
export interface OrderPlacedV1 {
  orderId: string;
  customerId: string;
  reservationId: string;
  totalMinor: number;
  currency: string;
  /** The payment method the customer chose, handed to the payment provider as is. */
  paymentMethod: string;
  lines: OrderLineV1[];
  placedAt: string;
}

/** Emitted once when an order's payment succeeded. */
export interface OrderPaidV1 {
  orderId: string;
  customerId: string;
  reservationId: string;
  paymentId: string;
  totalMinor: number;
  currency: string;
}

/** Emitted once when an order was cancelled (payment failed, by the customer or an admin). */
export interface OrderCancelledV1 {
  orderId: string;
  customerId: string;
  reservationId: string;
  reason: 'payment_failed' | 'customer' | 'admin';
}

/** Emitted once when an unpaid order's reservation expired. */
export interface OrderExpiredV1 {
  orderId: string;
  customerId: string;
  reservationId: string;
}

/** Emitted once when a paid order was fulfilled (shipped). */
export interface OrderFulfilledV1 {
  orderId: string;
  customerId: string;
}

/** Integration event types ordering publishes. */
export const ORDERING_EVENTS = {
  orderPlaced: 'ordering.order.placed',
  orderPaid: 'ordering.order.paid',
  orderCancelled: 'ordering.order.cancelled',
  orderExpired: 'ordering.order.expired',
  orderFulfilled: 'ordering.order.fulfilled',
} as const;

/** Payment outcomes ordering consumes (payments.contract's PAYMENTS_EVENTS, written out). */
export const ORDERING_PAYMENT_EVENTS = {
  succeeded: 'payments.payment.succeeded',
  failed: 'payments.payment.failed',
} as const;

/** Inventory events ordering consumes (inventory.contract's INVENTORY_EVENTS, written out). */
export const ORDERING_INVENTORY_EVENTS = {
  reservationExpired: 'inventory.reservation.expired',
} as const;

/**
 * Event types ordering consumes: payment outcomes and expired reservations (payments.contract's
 * and inventory.contract's event names, written out so that ordering imports neither).
 */
export const ORDERING_SUBSCRIPTIONS: readonly string[] = [
  ORDERING_PAYMENT_EVENTS.succeeded,
  ORDERING_PAYMENT_EVENTS.failed,
  ORDERING_INVENTORY_EVENTS.reservationExpired,
];
