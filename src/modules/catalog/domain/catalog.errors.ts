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

export class CategoryNotFoundError extends DomainError {
  readonly code = 'catalog.category_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('Category not found');
  }
}

/** Moving a category under itself or one of its descendants. */
export class CategoryCycleError extends DomainError {
  readonly code = 'catalog.category_cycle';
  readonly kind = 'unprocessable';
  constructor() {
    super('A category cannot be moved under itself or one of its descendants');
  }
}

export class CategorySlugTakenError extends DomainError {
  readonly code = 'catalog.category_slug_taken';
  readonly kind = 'conflict';
  constructor(slug: string) {
    super(`Another category already uses the slug "${slug}"`, { slug });
  }
}

export class SkuTakenError extends DomainError {
  readonly code = 'catalog.sku_taken';
  readonly kind = 'conflict';
  constructor(sku: string) {
    super(`Another variant already uses the SKU "${sku}"`, { sku });
  }
}

export class VariantNotFoundError extends DomainError {
  readonly code = 'catalog.variant_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('Variant not found');
  }
}

/** A product-level price change is ambiguous when the product has several variants. */
export class AmbiguousPriceError extends DomainError {
  readonly code = 'catalog.ambiguous_price';
  readonly kind = 'unprocessable';
  constructor() {
    super('This product has several variants: change the price of a variant instead');
  }
}

/** A product must keep at least one variant to be sold. */
export class LastVariantError extends DomainError {
  readonly code = 'catalog.last_variant';
  readonly kind = 'unprocessable';
  constructor() {
    super('A product must keep at least one variant');
  }
}
