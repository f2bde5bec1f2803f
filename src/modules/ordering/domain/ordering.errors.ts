import { DomainError } from '../../../platform/errors/domain-error.js';
import type { OrderStatus } from '../ordering.contract.js';

export class OrderNotFoundError extends DomainError {
  readonly code = 'ordering.order_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('Order not found');
  }
}

export class IllegalTransitionError extends DomainError {
  readonly code = 'ordering.illegal_transition';
  readonly kind = 'conflict';
  constructor(from: OrderStatus, to: OrderStatus) {
    super(`An order that is ${from} cannot become ${to}`, { from, to });
  }
}

/** A SKU the catalog does not know or does not sell now. */
export class UnknownSkuError extends DomainError {
  readonly code = 'ordering.unknown_sku';
  readonly kind = 'unprocessable';
  constructor(skus: readonly string[]) {
    super(`Not for sale: ${skus.join(', ')}`, { skus });
  }
}

export class MixedCurrenciesError extends DomainError {
  readonly code = 'ordering.mixed_currencies';
  readonly kind = 'unprocessable';
  constructor() {
    super('All lines of one order must be in the same currency');
  }
}

export class EmptyCartError extends DomainError {
  readonly code = 'ordering.empty_cart';
  readonly kind = 'unprocessable';
  constructor() {
    super('The cart is empty');
  }
}

export class SoldOutError extends DomainError {
  readonly code = 'ordering.sold_out';
  readonly kind = 'conflict';
  constructor(sku: string, available: number) {
    super(`Not enough stock of ${sku}`, { sku, available });
  }
}

export class IdempotencyKeyRequiredError extends DomainError {
  readonly code = 'ordering.idempotency_key_required';
  readonly kind = 'invalid';
  constructor() {
    super('Header Idempotency-Key (1 to 200 characters) is required');
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  readonly code = 'ordering.idempotency_key_reused';
  readonly kind = 'unprocessable';
  constructor() {
    super('This Idempotency-Key was used with a different request body');
  }
}

export class RequestInProgressError extends DomainError {
  readonly code = 'ordering.request_in_progress';
  readonly kind = 'conflict';
  constructor() {
    super('A request with this Idempotency-Key is still in progress; retry later');
  }
}

/** This process cannot reach inventory (the context is neither hosted nor remotely wired). */
export class InventoryUnavailableError extends DomainError {
  readonly code = 'ordering.inventory_unavailable';
  readonly kind = 'unavailable';
  constructor() {
    super('Checkout is unavailable: inventory cannot be reached');
  }
}
