import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A variant's in-stock flag, kept by the catalog worker from inventory.stock.changed events; the
 * product document's in_stock is bool_or over its variants. No index: it is read only while
 * rebuilding one product's document (variants_product_idx).
 */
export class CatalogVariantStock1764374405000 implements MigrationInterface {
  name = 'CatalogVariantStock1764374405000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE "catalog"."variants" ADD "in_stock" boolean NOT NULL DEFAULT true`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "catalog"."variants" DROP COLUMN "in_stock"`);
  }
}
