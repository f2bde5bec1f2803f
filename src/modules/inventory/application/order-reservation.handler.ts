import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import type {
  OrderCancelledV1,
  OrderExpiredV1,
  OrderPaidV1,
} from '../../ordering/ordering.contract.js';
import { ORDER_EVENTS_INVENTORY_CONSUMES } from '../inventory.contract.js';
import { INVENTORY_METRIC } from '../inventory.metrics.js';
import { ReservationLifecycle } from './reservation-lifecycle.service.js';

/**
 * An order's fate decides its reservation's: paid → committed, cancelled or expired → released.
 * Runs in the inbox transaction, so the transition and the processed-event record commit
 * together (a redelivery does nothing, and the transitions are conditional anyway).
 */
@Injectable()
@HandlesEvents({
  consumer: 'inventory',
  name: 'order-reservation',
  events: Object.values(ORDER_EVENTS_INVENTORY_CONSUMES),
})
export class OrderReservationHandler implements IntegrationEventHandler {
  private readonly logger = new Logger('OrderReservation');

  constructor(
    private readonly lifecycle: ReservationLifecycle,
    @InjectMetric(INVENTORY_METRIC.paidAfterExpiry) private readonly paidAfterExpiry: Counter,
  ) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<undefined> {
    if (event.type === ORDER_EVENTS_INVENTORY_CONSUMES.paid) {
      const { reservationId, orderId } = event.payload as unknown as OrderPaidV1;
      if (await this.lifecycle.commit(reservationId, manager)) return undefined;
      const status = await this.lifecycle.status(reservationId, manager);
      if (status === 'expired') {
        // The stock went back to the shelf before the payment arrived; someone must decide
        // (refund or restock), so this is loud in the logs and on a counter.
        this.paidAfterExpiry.inc();
        this.logger.warn({
          msg: 'order paid after its reservation expired',
          orderId,
          reservationId,
        });
      }
      return undefined;
    }
    const { reservationId } = event.payload as unknown as OrderCancelledV1 | OrderExpiredV1;
    await this.lifecycle.release(reservationId, manager);
    return undefined;
  }
}
