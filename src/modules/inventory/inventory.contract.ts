/**
 * Public surface of the inventory context. Other contexts import this file only.
 */

/** A quantity of one SKU. */
export interface StockLine {
  sku: string;
  quantity: number;
}

/** Stock held for a caller's object (an order) until committed, released or expired. */
export interface ReservationView {
  id: string;
  /** The caller's object this reservation is for, e.g. the order id. */
  reference: string;
  status: 'held' | 'committed' | 'released' | 'expired';
  lines: StockLine[];
  expiresAt: string;
}

/** Why stock could not be reserved. */
export type ReserveRefusal =
  { reason: 'sold_out'; sku: string; available: number } | { reason: 'unknown_sku'; sku: string };

export type ReserveResult =
  { ok: true; reservation: ReservationView } | ({ ok: false } & ReserveRefusal);

/**
 * Commands and questions other contexts may send to inventory. Every command is atomic and
 * idempotent: reserving twice with one reference returns the first reservation, committing or
 * releasing a reservation twice changes nothing the second time.
 */
export interface InventoryPort {
  /** Holds all lines or none; never drives available stock below zero. */
  reserve(
    lines: readonly StockLine[],
    options: { reference: string; ttlMs?: number },
  ): Promise<ReserveResult>;
  /** Turns held stock into sold stock. False when the reservation is not held (e.g. expired). */
  commit(reservationId: string): Promise<boolean>;
  /** Gives held stock back. False when the reservation is not held. */
  release(reservationId: string): Promise<boolean>;
  /** Available quantity per SKU (unknown SKUs are left out). */
  availability(skus: readonly string[]): Promise<Record<string, number>>;
  /**
   * A SKU among `lines` that is certainly sold out right now, decided without the database (hot
   * SKUs: the Redis gate's counter, the same answer `reserve` would give), or null when none is
   * known to be. Lets a flash sale refuse the crowd for the price of one Redis read; never a
   * promise that stock exists.
   */
  knownSoldOut(lines: readonly StockLine[]): Promise<string | null>;
}

/** Injection token of InventoryPort. */
export const INVENTORY_PORT = Symbol('INVENTORY_PORT');

/**
 * A SKU's available quantity, published when it flips between in stock and sold out (available
 * crosses 0: a reservation takes the last unit, a release or expiry brings units back to a sold-out
 * SKU) and on every admin change. Not on every reservation: a flash sale would otherwise put one
 * event per unit sold on the queue. So `available` is exact at publication, not a live counter;
 * the catalog's in-stock flag follows it (`available > 0`).
 */
export interface StockChangedV1 {
  sku: string;
  available: number;
}

/** Emitted when a held reservation passed its expiry and its stock was given back. */
export interface ReservationExpiredV1 {
  reservationId: string;
  reference: string;
}

/** Integration event types inventory publishes. */
export const INVENTORY_EVENTS = {
  stockChanged: 'inventory.stock.changed',
  reservationExpired: 'inventory.reservation.expired',
} as const;

/**
 * Event types inventory consumes: an order's fate decides its reservation's (ordering.contract's
 * ORDERING_EVENTS; written out here so that inventory does not import ordering).
 */
export const ORDER_EVENTS_INVENTORY_CONSUMES = {
  paid: 'ordering.order.paid',
  cancelled: 'ordering.order.cancelled',
  expired: 'ordering.order.expired',
} as const;

/** paid → commit the order's reservation; cancelled, expired → release it. */
export const INVENTORY_SUBSCRIPTIONS: readonly string[] = Object.values(
  ORDER_EVENTS_INVENTORY_CONSUMES,
);

/** Queue of inventory's own scheduled work (expiry sweep, hot-SKU reconcile). */
export const INVENTORY_MAINTENANCE_QUEUE = 'inventory-maintenance';
