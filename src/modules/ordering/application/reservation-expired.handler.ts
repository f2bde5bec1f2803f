import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import type { ReservationExpiredV1 } from '../../inventory/inventory.contract.js';
import { ORDERING_INVENTORY_EVENTS } from '../ordering.contract.js';
import { OrderTransitions } from './order-transitions.service.js';

/**
 * An unpaid order whose stock reservation expired expires too. Reservations are made with the
 * order id as reference. An order already paid or cancelled is left alone.
 */
@Injectable()
@HandlesEvents({
  consumer: 'ordering',
  name: 'reservation-expired',
  events: [ORDERING_INVENTORY_EVENTS.reservationExpired],
})
export class ReservationExpiredHandler implements IntegrationEventHandler {
  constructor(private readonly transitions: OrderTransitions) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<undefined> {
    const { reference } = event.payload as unknown as ReservationExpiredV1;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(reference))
      return undefined; // not one of ours
    await this.transitions.apply(manager, reference, 'expired');
    return undefined;
  }
}
