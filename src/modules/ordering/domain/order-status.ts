import type { OrderStatus } from '../ordering.contract.js';
import { IllegalTransitionError } from './ordering.errors.js';

/** Legal moves of an order; every other move is refused. Final states have none. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending_payment: ['paid', 'cancelled', 'expired'],
  paid: ['fulfilled'],
  fulfilled: [],
  cancelled: [],
  expired: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** The status an order may be in to move to `to` (each target has exactly one source). */
export function requiredSourceOf(to: OrderStatus): OrderStatus {
  const from = (Object.keys(ORDER_TRANSITIONS) as OrderStatus[]).find((s) => canTransition(s, to));
  if (!from) throw new Error(`No transition leads to ${to}`);
  return from;
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}
