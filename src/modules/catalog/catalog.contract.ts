/**
 * Public surface of the catalog context. Other contexts import this file only.
 */

/** Whether a product is visible in the shop. */
export type ProductStatus = 'draft' | 'active' | 'archived';

/** A product as other contexts may see it (no internal fields). */
export interface ProductSummary {
  id: string;
  slug: string;
  name: string;
  currency: string;
  status: ProductStatus;
  variants: { id: string; sku: string; priceMinor: number }[];
}

/** A sellable variant found by its SKU, with what a cart or an order needs to price it. */
export interface VariantSummary {
  sku: string;
  variantId: string;
  productId: string;
  productName: string;
  priceMinor: number;
  currency: string;
  /** Whether its product is on sale now (status 'active'). */
  active: boolean;
}

/** Synchronous questions other contexts may ask the catalog. */
export interface CatalogPort {
  /** Current data of the given products; unknown ids are left out. */
  findProducts(ids: readonly string[]): Promise<ProductSummary[]>;
  /** Current price and state of the variants with these SKUs; unknown SKUs are left out. */
  findVariantsBySku(skus: readonly string[]): Promise<VariantSummary[]>;
}

/** Injection token of CatalogPort. */
export const CATALOG_PORT = Symbol('CATALOG_PORT');

/** Emitted when a product is created or changed; consumers re-read what they need. */
export interface ProductChangedV1 {
  productId: string;
  /** The product's version after the change; increases by one per change. */
  version: number;
}

/** Emitted when a category is created, renamed or moved; its subtree's products are affected. */
export interface CategoryChangedV1 {
  categoryId: string;
}

/** Integration event types the catalog publishes. */
export const CATALOG_EVENTS = {
  productCreated: 'catalog.product.created',
  productUpdated: 'catalog.product.updated',
  categoryChanged: 'catalog.category.changed',
} as const;

/**
 * Event types the catalog consumes: its own, to rebuild product documents off the write path, and
 * inventory's stock changes (inventory.contract's INVENTORY_EVENTS.stockChanged) for the in-stock flag.
 */
export const CATALOG_SUBSCRIPTIONS: readonly string[] = [
  CATALOG_EVENTS.productCreated,
  CATALOG_EVENTS.productUpdated,
  CATALOG_EVENTS.categoryChanged,
  'inventory.stock.changed',
];
