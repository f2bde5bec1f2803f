import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readQuery } from '../../../platform/database/read-query.js';
import type { CategoryView } from './category-admin.service.js';
import type { VariantView } from './product-views.js';

/** A variant with the product it belongs to, as the batch reads return it. */
export interface ProductVariant extends VariantView {
  productId: string;
}

const CATEGORY_COLUMNS = `id, parent_id AS "parentId", slug, name, position, path`;

/** Query: variants of a page of products (variants_product_idx). */
const VARIANTS_OF_PRODUCTS = `
SELECT id, product_id AS "productId", sku, options, price_minor AS "priceMinor"
  FROM catalog.variants
 WHERE product_id = ANY($1::uuid[])
 ORDER BY product_id, position, sku`;

/** Query: categories and every ancestor of each, from the stored root-first paths (pkey). */
const CATEGORIES_WITH_ANCESTORS = `
SELECT ${CATEGORY_COLUMNS}
  FROM catalog.categories
 WHERE id IN (SELECT unnest(path) FROM catalog.categories WHERE id = ANY($1::uuid[]))`;

/** Query: children of several categories (categories_parent_idx). */
const CHILDREN_OF_CATEGORIES = `
SELECT ${CATEGORY_COLUMNS}
  FROM catalog.categories
 WHERE parent_id = ANY($1::uuid[])
 ORDER BY position, name`;

/** Query: the whole tree, as the shop's category endpoint reads it. */
const ALL_CATEGORIES = `SELECT ${CATEGORY_COLUMNS} FROM catalog.categories ORDER BY position, name`;

/**
 * The set-based reads behind the GraphQL loaders: each answers any number of keys with one
 * statement over the normalised tables, on a replica unless the request has written.
 */
@Injectable()
export class CatalogLoaderQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Variants of each product, in the order the shop shows them. */
  async variantsOf(productIds: readonly string[]): Promise<Map<string, ProductVariant[]>> {
    const rows = await readQuery<ProductVariant>(this.dataSource, VARIANTS_OF_PRODUCTS, [
      productIds,
    ]);
    return groupBy(rows, (r) => r.productId);
  }

  /** The categories asked for and all their ancestors (a category's path includes itself). */
  categoriesWithAncestors(ids: readonly string[]): Promise<CategoryView[]> {
    return readQuery<CategoryView>(this.dataSource, CATEGORIES_WITH_ANCESTORS, [ids]);
  }

  /** Children of each category, ordered by position then name. */
  async childrenOf(parentIds: readonly string[]): Promise<Map<string, CategoryView[]>> {
    const rows = await readQuery<CategoryView>(this.dataSource, CHILDREN_OF_CATEGORIES, [
      parentIds,
    ]);
    return groupBy(rows, (r) => r.parentId ?? '');
  }

  allCategories(): Promise<CategoryView[]> {
    return readQuery<CategoryView>(this.dataSource, ALL_CATEGORIES);
  }
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
