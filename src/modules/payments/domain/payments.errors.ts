import { DomainError } from '../../../platform/errors/domain-error.js';

/** A webhook whose signature header is missing, malformed, or matches no configured secret. */
export class InvalidSignatureError extends DomainError {
  readonly code = 'payments.invalid_signature';
  readonly kind = 'invalid';
  constructor() {
    super('The webhook signature is missing, malformed or does not match');
  }
}

/** An authentic webhook signed too long ago (a replay) or too far in the future. */
export class StaleWebhookError extends DomainError {
  readonly code = 'payments.stale_webhook';
  readonly kind = 'invalid';
  constructor(toleranceS: number) {
    super(`The webhook timestamp is more than ${toleranceS} s away from now`, { toleranceS });
  }
}

/** A signed webhook whose JSON is not a provider event (no id or type). */
export class InvalidWebhookPayloadError extends DomainError {
  readonly code = 'payments.invalid_webhook_payload';
  readonly kind = 'invalid';
  constructor() {
    super('The webhook body is not a provider event with an id and a type');
  }
}

/**
 * A provider event about an intent payments has not recorded (yet: the provider may confirm
 * before the transaction that records the intent commits). Thrown so that the queue retries.
 */
export class UnknownPaymentIntentError extends Error {
  constructor(provider: string, providerPaymentId: string) {
    super(`No payment intent ${provider}/${providerPaymentId} (yet)`);
    this.name = 'UnknownPaymentIntentError';
  }
}
