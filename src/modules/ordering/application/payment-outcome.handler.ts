import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import type { PaymentFailedV1, PaymentSucceededV1 } from '../../payments/payments.contract.js';
import { ORDERING_PAYMENT_EVENTS } from '../ordering.contract.js';
import { OrderTransitions } from './order-transitions.service.js';

/**
 * A payment's outcome decides its order: succeeded → paid (with the payment id), failed →
 * cancelled. A repeated or late outcome for an order that already moved changes nothing; it is
 * logged, not retried (retrying cannot make it apply).
 */
@Injectable()
@HandlesEvents({
  consumer: 'ordering',
  name: 'payment-outcome',
  events: [ORDERING_PAYMENT_EVENTS.succeeded, ORDERING_PAYMENT_EVENTS.failed],
})
export class PaymentOutcomeHandler implements IntegrationEventHandler {
  private readonly logger = new Logger('PaymentOutcomeHandler');

  constructor(private readonly transitions: OrderTransitions) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<undefined> {
    if (event.type === ORDERING_PAYMENT_EVENTS.succeeded) {
      const p = event.payload as unknown as PaymentSucceededV1;
      const outcome = await this.transitions.apply(manager, p.orderId, 'paid', {
        paymentId: p.paymentId,
      });
      if (!outcome.applied && outcome.current !== 'paid' && outcome.current !== 'fulfilled') {
        // E.g. paid after its reservation expired: money taken for a dead order needs a refund.
        this.logger.warn({
          msg: 'payment succeeded for an order that cannot be paid',
          ...p,
          current: outcome.current,
        });
      }
      return undefined;
    }
    const p = event.payload as unknown as PaymentFailedV1;
    const outcome = await this.transitions.apply(manager, p.orderId, 'cancelled', {
      cancelReason: 'payment_failed',
    });
    if (!outcome.applied) {
      this.logger.log({
        msg: 'payment failure ignored',
        orderId: p.orderId,
        current: outcome.current,
      });
    }
    return undefined;
  }
}
