import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import type { OrderPlacedV1 } from '../../ordering/ordering.contract.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from './payment-provider.port.js';

const ORDER_PLACED = 'ordering.order.placed';

/**
 * A placed order gets one payment intent. The provider is asked first, with the order id as its
 * idempotency key: if this transaction then fails, the retried handler gets the same provider
 * intent back instead of charging twice. The row is unique by order, so a second order.placed
 * event for the same order records nothing.
 */
@Injectable()
@HandlesEvents({ consumer: 'payments', name: 'payment-intent-opener', events: [ORDER_PLACED] })
export class PaymentIntentOpener implements IntegrationEventHandler {
  constructor(@Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<undefined> {
    const order = event.payload as unknown as OrderPlacedV1;
    const existing = (await manager.query(
      'SELECT 1 FROM payments.payment_intents WHERE order_id = $1',
      [order.orderId],
    )) as unknown[];
    if (existing.length > 0) return undefined;
    const created = await this.provider.createIntent({
      orderId: order.orderId,
      amountMinor: order.totalMinor,
      currency: order.currency,
      paymentMethod: order.paymentMethod,
      idempotencyKey: order.orderId,
    });
    await manager.query(
      `INSERT INTO payments.payment_intents
         (id, order_id, customer_id, provider, provider_payment_id, status, amount_minor, currency, payment_method)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (order_id) DO NOTHING`,
      [
        randomUUID(),
        order.orderId,
        order.customerId,
        this.provider.name,
        created.providerPaymentId,
        // Not created.status: a retried handler may get back an intent the provider already
        // confirmed, and only the webhook events move the status (and announce the outcome).
        'requires_confirmation',
        order.totalMinor,
        order.currency,
        order.paymentMethod,
      ],
    );
    return undefined;
  }
}
