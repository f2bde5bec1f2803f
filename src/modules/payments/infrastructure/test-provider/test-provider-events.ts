import { randomBytes } from 'node:crypto';
import type { IntentReport } from '../../application/payment-provider.port.js';
import type { PaymentStatus } from '../../payments.contract.js';

/** An intent as the test provider records it (its own state, not payments'). */
export interface TestProviderIntent {
  id: string;
  orderId: string;
  amountMinor: number;
  currency: string;
  paymentMethod: string;
  status: PaymentStatus;
  /** Unix seconds. */
  created: number;
}

/** The wire format of its webhooks, shaped like a well-known provider's. */
export interface TestProviderEvent {
  id: string;
  object: 'event';
  type: string;
  /** Unix seconds. */
  created: number;
  data: { object: WireIntent };
}

interface WireIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: PaymentStatus;
  payment_method: string;
  metadata: { orderId: string };
  last_payment_error?: { code: string; message: string };
}

export const TEST_EVENT_TYPES = {
  processing: 'payment_intent.processing',
  succeeded: 'payment_intent.succeeded',
  failed: 'payment_intent.payment_failed',
} as const;

/** The payment method that the test provider declines, like a real test card. */
export const DECLINED_METHOD = 'pm_card_declined';
const DECLINE = { code: 'card_declined', message: 'Your card was declined.' };

const STATUS_BY_TYPE: Record<string, PaymentStatus> = {
  [TEST_EVENT_TYPES.processing]: 'processing',
  [TEST_EVENT_TYPES.succeeded]: 'succeeded',
  [TEST_EVENT_TYPES.failed]: 'failed',
};

export const newIntentId = () => `pi_${randomBytes(12).toString('hex')}`;
const newEventId = () => `evt_${randomBytes(12).toString('hex')}`;

/** The outcome the test provider reaches for an intent: declined cards fail, others succeed. */
export function outcomeOf(intent: TestProviderIntent): 'succeeded' | 'failed' {
  return intent.paymentMethod === DECLINED_METHOD ? 'failed' : 'succeeded';
}

/** A new event (fresh id) reporting the intent in `status`. */
export function buildEvent(
  intent: TestProviderIntent,
  status: 'processing' | 'succeeded' | 'failed',
): TestProviderEvent {
  return {
    id: newEventId(),
    object: 'event',
    type: TEST_EVENT_TYPES[status],
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: intent.id,
        object: 'payment_intent',
        amount: intent.amountMinor,
        currency: intent.currency.toLowerCase(),
        status,
        payment_method: intent.paymentMethod,
        metadata: { orderId: intent.orderId },
        ...(status === 'failed' ? { last_payment_error: DECLINE } : {}),
      },
    },
  };
}

/** What a received event says about its intent; null for types without a status. */
export function readTestProviderEvent(
  type: string,
  payload: Record<string, unknown>,
): IntentReport | null {
  const status = STATUS_BY_TYPE[type];
  if (!status) return null;
  const object = (payload.data as { object?: Partial<WireIntent> } | undefined)?.object;
  if (typeof object?.id !== 'string') return null;
  const error = object.last_payment_error;
  return {
    providerPaymentId: object.id,
    status,
    failureReason:
      status === 'failed' ? (error?.code ?? error?.message ?? 'payment_failed') : undefined,
  };
}
