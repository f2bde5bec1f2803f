import { DomainError } from '../../../platform/errors/domain-error.js';

export class ProductNotFoundError extends DomainError {
  readonly code = 'catalog.product_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('Product not found');
  }
}

export class SlugTakenError extends DomainError {
  readonly code = 'catalog.slug_taken';
  readonly kind = 'conflict';
  constructor(slug: string) {
    super(`Another product already uses the slug "${slug}"`, { slug });
  }
}

export class InvalidCursorError extends DomainError {
  readonly code = 'catalog.invalid_cursor';
  readonly kind = 'invalid';
  constructor() {
    super('The cursor is not one this server issued');
  }
}
