import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One schema per context, with each context's outbox and processed_events tables.
 *
 * Indexes and the queries they serve:
 * - identity.accounts_email_key: login, `WHERE email = $1`.
 * - identity.refresh_tokens_token_hash_key: refresh/logout, `WHERE token_hash = $1`.
 * - identity.refresh_tokens_family_idx: reuse detection, `UPDATE … WHERE family_id = $1`.
 * - catalog.products_slug_key: product by slug, `WHERE slug = $1 AND status = 'active'`.
 * - catalog.products_status_created_id_idx: shop list, `WHERE status = 'active'
 *   AND (created_at, id) < ($1, $2) ORDER BY created_at DESC, id DESC LIMIT n` (backward index scan).
 * - <context>.outbox_unpublished_idx (partial): relay, `WHERE published_at IS NULL
 *   ORDER BY occurred_at, id LIMIT n FOR UPDATE SKIP LOCKED`, and the backlog count.
 */
export class InitialIdentityAndCatalog1764201600000 implements MigrationInterface {
  name = 'InitialIdentityAndCatalog1764201600000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of ['identity', 'catalog']) {
      await q.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await q.query(`CREATE TABLE "${schema}"."outbox" (
        "id" uuid PRIMARY KEY,
        "type" text NOT NULL,
        "version" integer NOT NULL,
        "payload" jsonb NOT NULL,
        "request_id" text,
        "occurred_at" timestamptz NOT NULL DEFAULT clock_timestamp(),
        "published_at" timestamptz
      )`);
      await q.query(
        `CREATE INDEX "outbox_unpublished_idx" ON "${schema}"."outbox" ("occurred_at", "id") WHERE "published_at" IS NULL`,
      );
      await q.query(`CREATE TABLE "${schema}"."processed_events" (
        "event_id" uuid NOT NULL,
        "handler" text NOT NULL,
        "processed_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("event_id", "handler")
      )`);
    }

    await q.query(
      `CREATE TABLE "identity"."accounts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "email" text NOT NULL, "password_hash" text NOT NULL, "role" text NOT NULL DEFAULT 'customer', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "accounts_email_key" ON "identity"."accounts" ("email")`);
    await q.query(
      `CREATE TABLE "identity"."refresh_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" text NOT NULL, "account_id" uuid NOT NULL, "family_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "refresh_tokens_token_hash_key" ON "identity"."refresh_tokens" ("token_hash")`,
    );
    await q.query(
      `CREATE INDEX "refresh_tokens_family_idx" ON "identity"."refresh_tokens" ("family_id")`,
    );

    await q.query(
      `CREATE TABLE "catalog"."products" ("id" uuid NOT NULL, "slug" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "price_minor" integer NOT NULL, "currency" character(3) NOT NULL, "status" text NOT NULL DEFAULT 'active', "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_0806c755e0aca124e67c0cf6d7d" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "products_slug_key" ON "catalog"."products" ("slug")`);
    await q.query(
      `CREATE INDEX "products_status_created_id_idx" ON "catalog"."products" ("status", "created_at", "id")`,
    );
    await q.query(
      `CREATE TABLE "catalog"."product_documents" ("product_id" uuid NOT NULL, "document" jsonb NOT NULL, "revision" integer NOT NULL, "source_version" integer NOT NULL, "refreshed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_12b79e3f5cfa3302f5dd8ed8b7e" PRIMARY KEY ("product_id"))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA "catalog" CASCADE`);
    await q.query(`DROP SCHEMA "identity" CASCADE`);
  }
}
