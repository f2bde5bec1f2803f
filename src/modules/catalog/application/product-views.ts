import type { ProductStatus } from '../catalog.contract.js';

/** One step of a category path, root first. */
export interface CategoryCrumb {
  id: string;
  slug: string;
  name: string;
}

export interface VariantView {
  id: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
}

/**
 * A product as the shop and admins see it. The product document stores exactly this JSON, so a
 * shop read sends it nearly as stored.
 */
export interface ProductView {
  id: string;
  slug: string;
  name: string;
  description: string;
  status: ProductStatus;
  currency: string;
  /** The lowest variant price ("from"). */
  priceMinor: number;
  maxPriceMinor: number;
  images: string[];
  inStock: boolean;
  category: (CategoryCrumb & { path: CategoryCrumb[] }) | null;
  variants: VariantView[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** One page of products and the cursor of the next page, if any. */
export interface ProductPage {
  items: ProductView[];
  nextCursor: string | null;
}

/** A node of the category tree as the shop sees it. */
export interface CategoryNode extends CategoryCrumb {
  parentId: string | null;
  children: CategoryNode[];
}
