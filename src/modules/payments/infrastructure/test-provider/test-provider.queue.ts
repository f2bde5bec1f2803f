import type { TestProviderEvent } from './test-provider-events.js';

/** The test provider's own queue: it plays an external system, apart from payments' inbox. */
export const TEST_PROVIDER_QUEUE = 'payments-test-provider';

/** Confirm an intent a moment after it was created, as a real provider does asynchronously. */
export interface ConfirmJob {
  kind: 'confirm';
  idempotencyKey: string;
  requestId?: string;
}

/** POST one webhook event until the receiver answers 2xx. */
export interface DeliverJob {
  kind: 'deliver';
  event: TestProviderEvent;
  requestId?: string;
}

export type TestProviderJob = ConfirmJob | DeliverJob;

/** Deliveries are retried with exponential backoff, as real providers do (for longer). */
export const DELIVERY_ATTEMPTS = 10;

/** Job ids derived from the intent, so a retried step never enqueues a second confirmation. */
export const confirmJobId = (intentId: string) => `confirm-${intentId}`;
export const deliverJobId = (intentId: string, eventType: string) =>
  `deliver-${intentId}-${eventType.replace(/[^a-z_]/g, '_')}`;
