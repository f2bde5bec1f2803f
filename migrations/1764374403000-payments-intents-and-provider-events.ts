import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment intents and the provider events their webhooks delivered (the schema, outbox and
 * processed_events come from CheckoutContextSchemas).
 *
 * Indexes and the queries they serve:
 * - payments.payment_intents_order_id_key: PaymentsPort.paymentForOrder, `WHERE order_id = $1`,
 *   and the one-intent-per-order guard of the order.placed handler (`ON CONFLICT (order_id)`).
 * - payments.payment_intents_provider_payment_id_key: the provider event processor,
 *   `WHERE provider_payment_id = $1 FOR UPDATE`.
 * - payments.provider_events primary key (provider, event_id): webhook de-duplication,
 *   `INSERT … ON CONFLICT DO NOTHING`, and the processor's `WHERE provider = $1 AND event_id = $2`.
 */
export class PaymentsIntentsAndProviderEvents1764374403000 implements MigrationInterface {
  name = 'PaymentsIntentsAndProviderEvents1764374403000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "payments"."payment_intents" (
      "id" uuid NOT NULL,
      "order_id" uuid NOT NULL,
      "customer_id" uuid NOT NULL,
      "provider" text NOT NULL,
      "provider_payment_id" text NOT NULL,
      "status" text NOT NULL,
      "amount_minor" integer NOT NULL,
      "currency" character(3) NOT NULL,
      "payment_method" text NOT NULL,
      "failure_reason" text,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "payment_intents_status_check" CHECK ("status" IN ('requires_confirmation', 'processing', 'succeeded', 'failed')),
      CONSTRAINT "payment_intents_pkey" PRIMARY KEY ("id")
    )`);
    await q.query(
      `CREATE UNIQUE INDEX "payment_intents_order_id_key" ON "payments"."payment_intents" ("order_id")`,
    );
    await q.query(
      `CREATE UNIQUE INDEX "payment_intents_provider_payment_id_key" ON "payments"."payment_intents" ("provider_payment_id")`,
    );
    await q.query(`CREATE TABLE "payments"."provider_events" (
      "provider" text NOT NULL,
      "event_id" text NOT NULL,
      "type" text NOT NULL,
      "payload" jsonb NOT NULL,
      "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "processed_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "provider_events_pkey" PRIMARY KEY ("provider", "event_id")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "payments"."provider_events"`);
    await q.query(`DROP TABLE "payments"."payment_intents"`);
  }
}
