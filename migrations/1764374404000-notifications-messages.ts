import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications context's messages (schema, outbox and processed_events:
 * CheckoutContextSchemas).
 *
 * Indexes and the queries they serve:
 * - notifications.messages_order_kind_key (unique): one message per order and kind; the order
 *   handlers' `INSERT … ON CONFLICT (order_id, kind) DO NOTHING` arbitrates on it.
 * - notifications.messages_queued_created_idx (partial): the sweeper, `WHERE status = 'queued'
 *   AND created_at < now() - interval '1 minute' ORDER BY created_at LIMIT n`; it holds only the
 *   few messages in flight, not the sent history.
 * - The primary key: the send job, `WHERE id = $1`.
 */
export class NotificationsMessages1764374404000 implements MigrationInterface {
  name = 'NotificationsMessages1764374404000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "notifications"."messages" ("id" uuid NOT NULL, "kind" text NOT NULL, "order_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "to_address" text NOT NULL, "subject" text NOT NULL, "text_body" text NOT NULL, "html_body" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "last_error" text, "message_id" text NOT NULL, "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "messages_status_check" CHECK ("status" IN ('queued', 'sent', 'failed')), CONSTRAINT "messages_kind_check" CHECK ("kind" IN ('order_placed', 'order_paid', 'order_cancelled')), CONSTRAINT "PK_18325f38ae6de43878487eff986" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "messages_order_kind_key" ON "notifications"."messages" ("order_id", "kind")`,
    );
    await q.query(
      `CREATE INDEX "messages_queued_created_idx" ON "notifications"."messages" ("created_at") WHERE "status" = 'queued'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "notifications"."messages"`);
  }
}
