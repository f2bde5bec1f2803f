import type { NewIntegrationEvent } from '../../../platform/messaging/integration-event.js';
import {
  INVENTORY_EVENTS,
  type ReservationExpiredV1,
  type StockChangedV1,
} from '../inventory.contract.js';

export function stockChanged(sku: string, available: number): NewIntegrationEvent {
  const payload: StockChangedV1 = { sku, available };
  return { type: INVENTORY_EVENTS.stockChanged, version: 1, payload: { ...payload } };
}

export function reservationExpired(reservationId: string, reference: string): NewIntegrationEvent {
  const payload: ReservationExpiredV1 = { reservationId, reference };
  return { type: INVENTORY_EVENTS.reservationExpired, version: 1, payload: { ...payload } };
}
