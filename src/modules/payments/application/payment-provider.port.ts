import type { PaymentStatus } from '../payments.contract.js';

/** What payments asks a provider to charge for an order. */
export interface CreateIntentRequest {
  orderId: string;
  amountMinor: number;
  currency: string;
  paymentMethod: string;
  /** The provider returns the same intent for the same key, so a retried call charges once. */
  idempotencyKey: string;
}

export interface CreatedIntent {
  providerPaymentId: string;
  status: PaymentStatus;
}

/** What a provider event says about one of its intents. */
export interface IntentReport {
  providerPaymentId: string;
  status: PaymentStatus;
  failureReason?: string;
}

/** A payment service provider, as payments uses it. The adapter knows its wire formats. */
export interface PaymentProvider {
  /** Name stored with intents and events; also the webhook path segment. */
  readonly name: string;
  createIntent(request: CreateIntentRequest): Promise<CreatedIntent>;
  /** Reads a webhook event; null for event types that say nothing about an intent's status. */
  readEvent(type: string, payload: Record<string, unknown>): IntentReport | null;
}

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');
