import { DomainError } from '../../../platform/errors/domain-error.js';

/** A reserve call with an empty, malformed or oversized line (a caller's bug). */
export class InvalidStockLineError extends DomainError {
  readonly code = 'inventory.invalid_line';
  readonly kind = 'invalid';
}

export class StockNotFoundError extends DomainError {
  readonly code = 'inventory.stock_not_found';
  readonly kind = 'not_found';
  constructor(sku: string) {
    super(`No stock is recorded for SKU "${sku}"`, { sku });
  }
}

/** Setting on-hand below what is already reserved would break held reservations. */
export class OnHandBelowReservedError extends DomainError {
  readonly code = 'inventory.on_hand_below_reserved';
  readonly kind = 'conflict';
  constructor(sku: string, reserved: number) {
    super(`SKU "${sku}" has ${reserved} units reserved; on-hand cannot go below that`, {
      sku,
      reserved,
    });
  }
}
