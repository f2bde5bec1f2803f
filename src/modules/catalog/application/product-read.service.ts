import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readQuery } from '../../../platform/database/read-query.js';
import type { CatalogPort, ProductSummary, VariantSummary } from '../catalog.contract.js';
import { ProductNotFoundError } from '../domain/catalog.errors.js';
import { SELECT_PRODUCT_DOCUMENTS } from './product-document.sql.js';
import type { ProductView } from './product-views.js';

const VARIANTS_BY_SKU = `SELECT v.sku, v.id AS "variantId", p.id AS "productId",
    p.name AS "productName", v.price_minor AS "priceMinor", p.currency, (p.status = 'active') AS active
  FROM catalog.variants v JOIN catalog.products p ON p.id = v.product_id
 WHERE v.sku = ANY($1::text[])`;

/**
 * Reads of the normalised tables (admins, other contexts): current as of the last commit, unlike
 * the shop's documents which follow a moment later. Outside a transaction, so served by a replica
 * unless this request has written.
 */
@Injectable()
export class ProductReadService implements CatalogPort {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async adminById(id: string): Promise<ProductView> {
    const [view] = await this.views([id]);
    if (!view) throw new ProductNotFoundError();
    return view;
  }

  async findProducts(ids: readonly string[]): Promise<ProductSummary[]> {
    if (ids.length === 0) return [];
    return (await this.views(ids)).map((p) => ({
      id: p.id,
      slug: p.slug,
      name: p.name,
      currency: p.currency,
      status: p.status,
      variants: p.variants.map((v) => ({ id: v.id, sku: v.sku, priceMinor: v.priceMinor })),
    }));
  }

  /**
   * One indexed query (variants_sku_key, then the product by primary key) on a replica, through
   * the read router like the other reads here: a price that changed a moment ago is no different
   * from one that changes just after. A refusal must not come from lag, though: when a SKU is
   * missing or inactive on the replica (e.g. a product created or activated a moment ago), the
   * same query is confirmed on the primary, so only refusals pay a second query. (A caller that
   * has written in this unit of work is routed to the primary by the router anyway.)
   */
  async findVariantsBySku(skus: readonly string[]): Promise<VariantSummary[]> {
    if (skus.length === 0) return [];
    const params = [[...new Set(skus)]];
    const found = await readQuery<VariantSummary>(this.dataSource, VARIANTS_BY_SKU, params);
    if (found.length === params[0].length && found.every((v) => v.active)) return found;
    return (await this.dataSource.query(VARIANTS_BY_SKU, params)) as VariantSummary[];
  }

  private async views(ids: readonly string[]): Promise<ProductView[]> {
    const rows = await readQuery<{ document: ProductView }>(
      this.dataSource,
      `SELECT d.document FROM (${SELECT_PRODUCT_DOCUMENTS}) d`,
      [ids],
    );
    return rows.map((r) => r.document);
  }
}
