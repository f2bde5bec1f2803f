import type { EntityManager } from 'typeorm';
import type { StoredIdempotencyKey } from '../domain/idempotency-decision.js';
import type { RequestedLine } from '../domain/order-pricing.js';
import type { OrderView } from './order-view.js';

/** The idempotency keys of checkout, scoped to the customer. */
export interface IdempotencyStore {
  /** INSERT … ON CONFLICT DO NOTHING: true when this request now owns the key. */
  claim(customerId: string, key: string, hash: string, expiresAt: Date): Promise<boolean>;
  find(customerId: string, key: string): Promise<StoredIdempotencyKey | null>;
  /** Removes the key only if it has expired (so a live claim of another request survives). */
  removeExpired(customerId: string, key: string): Promise<void>;
  /** Gives the key up (validation failure or unexpected error: a retry may run). */
  release(customerId: string, key: string): Promise<void>;
  /** Stores the response to replay; with `manager`, inside that transaction. */
  complete(
    customerId: string,
    key: string,
    status: number,
    body: unknown,
    manager?: EntityManager,
  ): Promise<void>;
}

/** A priced order ready to be written, with its reservation. */
export interface NewOrder {
  view: OrderView;
  customerId: string;
  reservationId: string;
  paymentMethod: string;
}

/** Writes a placed order in one transaction with its event and the idempotency response. */
export interface OrderPlacement {
  place(
    order: NewOrder,
    options: {
      idempotency: { customerId: string; key: string };
      /** Removes these SKUs from the customer's cart (checkout of the cart). */
      clearCartSkus: string[] | null;
    },
  ): Promise<void>;
}

/** The cart's lines, for checkout of the cart. */
export interface CartLines {
  lines(customerId: string): Promise<RequestedLine[]>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
export const ORDER_PLACEMENT = Symbol('ORDER_PLACEMENT');
export const CART_LINES = Symbol('CART_LINES');
