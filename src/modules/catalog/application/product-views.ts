import type { ProductStatus } from '../catalog.contract.js';
import type { ProductEntity } from '../infrastructure/product.entity.js';

/** A product as the shop and admins see it. */
export interface ProductView {
  id: string;
  slug: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  status: ProductStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One page of products and the cursor of the next page, if any. */
export interface ProductPage {
  items: ProductView[];
  nextCursor: string | null;
}

export function toProductView(p: ProductEntity): ProductView {
  return {
    id: p.id,
    slug: p.slug,
    name: p.name,
    description: p.description,
    priceMinor: p.priceMinor,
    currency: p.currency,
    status: p.status,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
