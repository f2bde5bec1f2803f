import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Variants (prices move from products to variants), the category tree, and the product document
 * as the shop's read model with its search columns.
 *
 * Indexes and the queries they serve:
 * - catalog.categories_slug_key: category by slug (shop filter, import).
 * - catalog.categories_parent_idx: children of a node when moving a subtree.
 * - catalog.categories_path_gin: a subtree, `path @> ARRAY[$id]`.
 * - catalog.variants_sku_key: SKU uniqueness, variant by SKU.
 * - catalog.variants_product_idx: variants of products, `product_id = ANY($1)`.
 * - catalog.products_category_idx: products of a subtree, `category_id = ANY(...)`.
 * - catalog.product_documents_slug_key: shop detail by slug.
 * - catalog.product_documents_newest_idx (partial, active): shop list newest first,
 *   `WHERE status='active' AND (created_at, product_id) < ($1,$2) ORDER BY created_at DESC, product_id DESC`.
 * - catalog.product_documents_price_idx (partial, active): shop list by price,
 *   `ORDER BY min_price, product_id` (asc and, scanned backwards, desc).
 * - catalog.product_documents_category_ids_gin: category filter, `category_ids @> ARRAY[$cat]`.
 * - catalog.product_documents_search_gin: full-text search, `search @@ tsquery`.
 * - catalog.product_documents_search_text_trgm: typo-tolerant fallback, `search_text %> $q`
 *   (word_similarity, threshold set per search with SET LOCAL).
 */
export class CatalogVariantsCategoriesAndReadModel1764288000000 implements MigrationInterface {
  name = 'CatalogVariantsCategoriesAndReadModel1764288000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(
      `CREATE TABLE "catalog"."categories" ("id" uuid NOT NULL, "parent_id" uuid, "slug" text NOT NULL, "name" text NOT NULL, "path" uuid array NOT NULL, "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_24dbc6126a28ff948da33e97d3b" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "categories_parent_idx" ON "catalog"."categories" ("parent_id")`);
    await q.query(`CREATE UNIQUE INDEX "categories_slug_key" ON "catalog"."categories" ("slug")`);
    await q.query(
      `CREATE INDEX "categories_path_gin" ON "catalog"."categories" USING gin ("path")`,
    );
    await q.query(
      `ALTER TABLE "catalog"."categories" ADD CONSTRAINT "FK_88cea2dc9c31951d06437879b40" FOREIGN KEY ("parent_id") REFERENCES "catalog"."categories"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await q.query(
      `CREATE TABLE "catalog"."variants" ("id" uuid NOT NULL, "product_id" uuid NOT NULL, "sku" text NOT NULL, "options" jsonb NOT NULL DEFAULT '{}', "price_minor" integer NOT NULL CHECK ("price_minor" >= 0), "position" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_672d13d1a6de0197f20c6babb5e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "variants_product_idx" ON "catalog"."variants" ("product_id")`);
    await q.query(`CREATE UNIQUE INDEX "variants_sku_key" ON "catalog"."variants" ("sku")`);
    await q.query(
      `ALTER TABLE "catalog"."variants" ADD CONSTRAINT "FK_a9625f5484e6b6941d401ec101c" FOREIGN KEY ("product_id") REFERENCES "catalog"."products"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // Each existing product keeps its price as a single default variant.
    await q.query(`INSERT INTO "catalog"."variants" (id, product_id, sku, price_minor, created_at, updated_at)
      SELECT gen_random_uuid(), id, upper(slug), price_minor, created_at, updated_at FROM "catalog"."products"`);
    await q.query(`DROP INDEX "catalog"."products_status_created_id_idx"`);
    await q.query(`ALTER TABLE "catalog"."products" DROP COLUMN "price_minor"`);
    await q.query(`ALTER TABLE "catalog"."products" ADD "category_id" uuid`);
    await q.query(`ALTER TABLE "catalog"."products" ADD "images" text array NOT NULL DEFAULT '{}'`);
    await q.query(`CREATE INDEX "products_category_idx" ON "catalog"."products" ("category_id")`);
    await q.query(
      `ALTER TABLE "catalog"."products" ADD CONSTRAINT "FK_9a5f6868c96e0069e699f33e124" FOREIGN KEY ("category_id") REFERENCES "catalog"."categories"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );

    // The read model is rebuilt from events: drop its rows and ask the worker for every product.
    await q.query(`TRUNCATE "catalog"."product_documents"`);
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "slug" text NOT NULL`);
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "status" text NOT NULL`);
    await q.query(
      `ALTER TABLE "catalog"."product_documents" ADD "category_ids" uuid array NOT NULL DEFAULT '{}'`,
    );
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "min_price" integer NOT NULL`);
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "max_price" integer NOT NULL`);
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "currency" character(3) NOT NULL`);
    await q.query(
      `ALTER TABLE "catalog"."product_documents" ADD "in_stock" boolean NOT NULL DEFAULT true`,
    );
    await q.query(
      `ALTER TABLE "catalog"."product_documents" ADD "created_at" TIMESTAMP WITH TIME ZONE NOT NULL`,
    );
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "search" tsvector NOT NULL`);
    await q.query(`ALTER TABLE "catalog"."product_documents" ADD "search_text" text NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX "product_documents_slug_key" ON "catalog"."product_documents" ("slug")`,
    );
    await q.query(
      `CREATE INDEX "product_documents_newest_idx" ON "catalog"."product_documents" ("created_at" DESC, "product_id" DESC) WHERE "status" = 'active'`,
    );
    await q.query(
      `CREATE INDEX "product_documents_price_idx" ON "catalog"."product_documents" ("min_price", "product_id") WHERE "status" = 'active'`,
    );
    await q.query(
      `CREATE INDEX "product_documents_category_ids_gin" ON "catalog"."product_documents" USING gin ("category_ids")`,
    );
    await q.query(
      `CREATE INDEX "product_documents_search_gin" ON "catalog"."product_documents" USING gin ("search")`,
    );
    await q.query(
      `CREATE INDEX "product_documents_search_text_trgm" ON "catalog"."product_documents" USING gin ("search_text" gin_trgm_ops)`,
    );
    await q.query(`INSERT INTO "catalog"."outbox" (id, type, version, payload)
      SELECT gen_random_uuid(), 'catalog.product.updated', 1, jsonb_build_object('productId', id, 'version', version)
        FROM "catalog"."products"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`TRUNCATE "catalog"."product_documents"`);
    for (const c of [
      'slug',
      'status',
      'category_ids',
      'min_price',
      'max_price',
      'currency',
      'in_stock',
      'created_at',
      'search',
      'search_text',
    ]) {
      await q.query(`ALTER TABLE "catalog"."product_documents" DROP COLUMN "${c}"`);
    }
    await q.query(`ALTER TABLE "catalog"."products" ADD "price_minor" integer NOT NULL DEFAULT 0`);
    await q.query(
      `UPDATE "catalog"."products" p SET price_minor = v.price FROM (SELECT product_id, min(price_minor) AS price FROM "catalog"."variants" GROUP BY product_id) v WHERE v.product_id = p.id`,
    );
    await q.query(`ALTER TABLE "catalog"."products" ALTER COLUMN "price_minor" DROP DEFAULT`);
    await q.query(`ALTER TABLE "catalog"."products" DROP COLUMN "images"`);
    await q.query(`ALTER TABLE "catalog"."products" DROP COLUMN "category_id"`);
    await q.query(
      `CREATE INDEX "products_status_created_id_idx" ON "catalog"."products" ("status", "created_at", "id")`,
    );
    await q.query(`DROP TABLE "catalog"."variants"`);
    await q.query(`DROP TABLE "catalog"."categories"`);
  }
}
