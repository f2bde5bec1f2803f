/**
 * Public surface of the notifications context. Other contexts import this file only.
 */

/** Kinds of message notifications sends. */
export type NotificationKind = 'order_placed' | 'order_paid' | 'order_cancelled';

/** Integration event types notifications publishes (none: sending is its last step). */
export const NOTIFICATIONS_EVENTS = {} as const;

/**
 * Event types notifications consumes: order facts it tells the customer about (ordering.contract's
 * event names, written out so that notifications does not import ordering).
 */
export const NOTIFICATIONS_SUBSCRIPTIONS: readonly string[] = [
  // Added with their handlers (a subscription without a handler fails boot):
  // 'ordering.order.placed',
  // 'ordering.order.paid',
  // 'ordering.order.cancelled',
];
