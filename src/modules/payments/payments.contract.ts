/**
 * Public surface of the payments context. Other contexts import this file only.
 */

/** A payment intent's state, as the provider reported it last. */
export type PaymentStatus = 'requires_confirmation' | 'processing' | 'succeeded' | 'failed';

/** A payment as other contexts may see it. */
export interface PaymentView {
  id: string;
  orderId: string;
  provider: string;
  providerPaymentId: string;
  status: PaymentStatus;
  amountMinor: number;
  currency: string;
}

/** Questions other contexts may ask payments. */
export interface PaymentsPort {
  /** The payment of an order, or null while there is none yet. */
  paymentForOrder(orderId: string): Promise<PaymentView | null>;
}

/** Injection token of PaymentsPort. */
export const PAYMENTS_PORT = Symbol('PAYMENTS_PORT');

/** Emitted once when the provider confirmed a payment. */
export interface PaymentSucceededV1 {
  paymentId: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  providerPaymentId: string;
}

/** Emitted once when the provider reported a payment failed for good. */
export interface PaymentFailedV1 {
  paymentId: string;
  orderId: string;
  reason: string;
}

/** Integration event types payments publishes. */
export const PAYMENTS_EVENTS = {
  paymentSucceeded: 'payments.payment.succeeded',
  paymentFailed: 'payments.payment.failed',
} as const;

/**
 * Payments' own, internal event: a verified webhook was recorded in payments.provider_events and
 * waits for the worker to apply it. No other context subscribes to it.
 */
export interface ProviderEventReceivedV1 {
  provider: string;
  eventId: string;
}

/** Event types payments publishes for itself only (acknowledge fast, process in a worker). */
export const PAYMENTS_INTERNAL_EVENTS = {
  providerEventReceived: 'payments.provider_event.received',
} as const;

/**
 * Event types payments consumes: a placed order gets a payment intent (ordering.contract's
 * `ordering.order.placed`), and the provider's webhook events, acknowledged into payments' own
 * outbox and processed by a worker.
 */
export const PAYMENTS_SUBSCRIPTIONS: readonly string[] = [
  'ordering.order.placed',
  PAYMENTS_INTERNAL_EVENTS.providerEventReceived,
];
