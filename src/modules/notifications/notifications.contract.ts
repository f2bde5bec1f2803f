/**
 * Public surface of the notifications context. Other contexts import this file only.
 */

/** Kinds of message notifications sends. */
export type NotificationKind = 'order_placed' | 'order_paid' | 'order_cancelled';

/** Where a message is: waiting to be (re)sent, accepted by the mail server, or given up on. */
export type NotificationStatus = 'queued' | 'sent' | 'failed';

/** Integration event types notifications publishes (none: sending is its last step). */
export const NOTIFICATIONS_EVENTS = {} as const;

/**
 * Queues notifications owns. `send` carries one job per message (job id = message id, data
 * `{ messageId, requestId }`); failed sends stay in its failed set for inspection and retry.
 */
export const NOTIFICATIONS_QUEUES = {
  send: 'notifications-send',
} as const;

/**
 * Event types notifications consumes: order facts it tells the customer about (ordering.contract's
 * event names, written out so that notifications does not import ordering).
 */
export const NOTIFICATIONS_SUBSCRIPTIONS: readonly string[] = [
  'ordering.order.placed',
  'ordering.order.paid',
  'ordering.order.cancelled',
];
