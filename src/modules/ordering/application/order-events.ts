import type { NewIntegrationEvent } from '../../../platform/messaging/integration-event.js';
import {
  ORDERING_EVENTS,
  type OrderCancelledV1,
  type OrderExpiredV1,
  type OrderFulfilledV1,
  type OrderPaidV1,
  type OrderStatus,
} from '../ordering.contract.js';

/** What an order transition needs to know beyond the order. */
export interface TransitionDetails {
  paymentId?: string;
  cancelReason?: OrderCancelledV1['reason'];
}

/** The order's data an event is built from (after the transition). */
export interface TransitionedOrder {
  id: string;
  customerId: string;
  reservationId: string;
  totalMinor: number;
  currency: string;
}

/** The integration event that announces a transition to `to`. */
export function eventOfTransition(
  order: TransitionedOrder,
  to: OrderStatus,
  details: TransitionDetails,
): NewIntegrationEvent {
  const base = { orderId: order.id, customerId: order.customerId };
  switch (to) {
    case 'paid': {
      const payload: OrderPaidV1 = {
        ...base,
        reservationId: order.reservationId,
        paymentId: details.paymentId ?? '',
        totalMinor: order.totalMinor,
        currency: order.currency,
      };
      return { type: ORDERING_EVENTS.orderPaid, version: 1, payload: { ...payload } };
    }
    case 'cancelled': {
      const payload: OrderCancelledV1 = {
        ...base,
        reservationId: order.reservationId,
        reason: details.cancelReason ?? 'customer',
      };
      return { type: ORDERING_EVENTS.orderCancelled, version: 1, payload: { ...payload } };
    }
    case 'expired': {
      const payload: OrderExpiredV1 = { ...base, reservationId: order.reservationId };
      return { type: ORDERING_EVENTS.orderExpired, version: 1, payload: { ...payload } };
    }
    case 'fulfilled': {
      const payload: OrderFulfilledV1 = base;
      return { type: ORDERING_EVENTS.orderFulfilled, version: 1, payload: { ...payload } };
    }
    case 'pending_payment':
      throw new Error('No transition leads back to pending_payment');
  }
}
