import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A variant's in-stock flag, kept by the catalog worker from inventory.stock.changed events; the
 * product document's in_stock is bool_or over its variants. `stock_as_of` is the occurrence time
 * of the stock event applied last: events are consumed concurrently, so an older one arriving
 * late must not overwrite a newer one. No index: both are written by SKU (variants_sku_key) and
 * read while rebuilding one product's document (variants_product_idx).
 */
export class CatalogVariantStock1764374405000 implements MigrationInterface {
  name = 'CatalogVariantStock1764374405000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "catalog"."variants" ADD "in_stock" boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE "catalog"."variants" ADD "stock_as_of" TIMESTAMP WITH TIME ZONE`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "catalog"."variants" DROP COLUMN "stock_as_of"`);
    await q.query(`ALTER TABLE "catalog"."variants" DROP COLUMN "in_stock"`);
  }
}
