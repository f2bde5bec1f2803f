import type { MigrationInterface, QueryRunner } from 'typeorm';

const SCHEMAS = ['inventory', 'ordering', 'payments', 'notifications'];

/**
 * The checkout contexts' schemas, each with its outbox and processed_events tables (the same
 * shape as identity's and catalog's; see the initial migration for the relay's index).
 */
export class CheckoutContextSchemas1764374400000 implements MigrationInterface {
  name = 'CheckoutContextSchemas1764374400000';

  async up(q: QueryRunner): Promise<void> {
    for (const schema of SCHEMAS) {
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
  }

  async down(q: QueryRunner): Promise<void> {
    for (const schema of [...SCHEMAS].reverse()) {
      await q.query(`DROP SCHEMA "${schema}" CASCADE`);
    }
  }
}
