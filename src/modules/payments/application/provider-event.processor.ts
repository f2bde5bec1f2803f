import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { nextStatus } from '../domain/payment-status.js';
import { UnknownPaymentIntentError } from '../domain/payments.errors.js';
import {
  PAYMENTS_EVENTS,
  PAYMENTS_INTERNAL_EVENTS,
  type PaymentFailedV1,
  type PaymentStatus,
  type PaymentSucceededV1,
  type ProviderEventReceivedV1,
} from '../payments.contract.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.port.js';

interface IntentRow {
  id: string;
  order_id: string;
  status: PaymentStatus;
  amount_minor: number;
  currency: string;
  provider_payment_id: string;
}

/**
 * Applies a recorded provider event to its intent. The intent row is locked, so two events of
 * one intent are applied one after the other; the state machine makes duplicates and late,
 * older events change nothing; reaching a final status writes its integration event in the
 * same transaction, hence exactly once.
 */
@Injectable()
@HandlesEvents({
  consumer: 'payments',
  name: 'provider-event-processor',
  events: [PAYMENTS_INTERNAL_EVENTS.providerEventReceived],
})
export class ProviderEventProcessor implements IntegrationEventHandler {
  constructor(
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    private readonly outbox: OutboxWriter,
  ) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<undefined> {
    const { provider, eventId } = event.payload as unknown as ProviderEventReceivedV1;
    const [recorded] = (await manager.query(
      `SELECT type, payload, processed_at FROM payments.provider_events
        WHERE provider = $1 AND event_id = $2 FOR UPDATE`,
      [provider, eventId],
    )) as { type: string; payload: Record<string, unknown>; processed_at: Date | null }[];
    if (!recorded) throw new Error(`provider event ${provider}/${eventId} is not recorded`);
    if (recorded.processed_at) return undefined;

    const report = this.provider.readEvent(recorded.type, recorded.payload);
    if (report) {
      const [intent] = (await manager.query(
        `SELECT id, order_id, status, amount_minor, currency, provider_payment_id
           FROM payments.payment_intents WHERE provider_payment_id = $1 FOR UPDATE`,
        [report.providerPaymentId],
      )) as IntentRow[];
      // Rolled back and retried with backoff; after the last attempt it stays in the failed set.
      if (!intent) throw new UnknownPaymentIntentError(provider, report.providerPaymentId);
      const next = nextStatus(intent.status, report.status);
      if (next) {
        await manager.query(
          `UPDATE payments.payment_intents
              SET status = $2, failure_reason = $3, updated_at = now() WHERE id = $1`,
          [intent.id, next, next === 'failed' ? (report.failureReason ?? 'payment_failed') : null],
        );
        await this.announce(manager, intent, next, report.failureReason);
      }
    }
    await manager.query(
      'UPDATE payments.provider_events SET processed_at = now() WHERE provider = $1 AND event_id = $2',
      [provider, eventId],
    );
    return undefined;
  }

  private async announce(
    manager: EntityManager,
    intent: IntentRow,
    status: PaymentStatus,
    failureReason: string | undefined,
  ): Promise<void> {
    if (status === 'succeeded') {
      const payload: PaymentSucceededV1 = {
        paymentId: intent.id,
        orderId: intent.order_id,
        amountMinor: intent.amount_minor,
        currency: intent.currency,
        providerPaymentId: intent.provider_payment_id,
      };
      await this.outbox.append(manager, 'payments', [
        { type: PAYMENTS_EVENTS.paymentSucceeded, version: 1, payload: { ...payload } },
      ]);
    } else if (status === 'failed') {
      const payload: PaymentFailedV1 = {
        paymentId: intent.id,
        orderId: intent.order_id,
        reason: failureReason ?? 'payment_failed',
      };
      await this.outbox.append(manager, 'payments', [
        { type: PAYMENTS_EVENTS.paymentFailed, version: 1, payload: { ...payload } },
      ]);
    }
  }
}
