import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ordering context's tables (schema, outbox and processed_events: CheckoutContextSchemas).
 *
 * Orders and their lines are partitioned by month of `placed_at`. There is deliberately NO
 * DEFAULT partition: once a default partition holds rows of a month, creating that month's
 * partition later fails (or has to scan and move them under a lock), so a missed maintenance run
 * would turn into a broken one. Instead partitions are created months ahead (at boot and daily
 * by the `ordering-maintenance` job), and an insert outside them fails loudly, which checkout
 * compensates by releasing the reservation.
 */
export class OrderingCartsAndOrders1764374402000 implements MigrationInterface {
  name = 'OrderingCartsAndOrders1764374402000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "ordering"."carts" (
      "customer_id" uuid PRIMARY KEY,
      "updated_at" timestamptz NOT NULL
    )`);
    // Primary key serves every cart query: the lines of one customer's cart (`customer_id = $1`).
    await q.query(`CREATE TABLE "ordering"."cart_lines" (
      "customer_id" uuid NOT NULL,
      "sku" text NOT NULL,
      "quantity" integer NOT NULL,
      "added_at" timestamptz NOT NULL,
      CONSTRAINT "cart_lines_quantity_check" CHECK ("quantity" BETWEEN 1 AND 99),
      PRIMARY KEY ("customer_id", "sku")
    )`);

    // Primary key serves the claim (INSERT … ON CONFLICT) and the look-up of an existing key.
    await q.query(`CREATE TABLE "ordering"."idempotency_keys" (
      "customer_id" uuid NOT NULL,
      "key" text NOT NULL,
      "request_hash" text NOT NULL,
      "status" text NOT NULL,
      "response_status" integer,
      "response_body" jsonb,
      "created_at" timestamptz NOT NULL,
      "expires_at" timestamptz NOT NULL,
      CONSTRAINT "idempotency_keys_status_check" CHECK ("status" IN ('in_progress', 'completed')),
      PRIMARY KEY ("customer_id", "key")
    )`);
    // Query: the cleanup job's `DELETE … WHERE expires_at < now()` (range scan, not a seq scan).
    await q.query(
      `CREATE INDEX "idempotency_keys_expires_idx" ON "ordering"."idempotency_keys" ("expires_at")`,
    );

    // Partitioned: no entity maps these (TypeORM's schema builder cannot describe PARTITION BY);
    // the ordering context reads and writes them with SQL (infrastructure/order-store.ts).
    await q.query(`CREATE TABLE "ordering"."orders" (
      "id" uuid NOT NULL,
      "customer_id" uuid NOT NULL,
      "status" text NOT NULL,
      "reservation_id" text NOT NULL,
      "payment_method" text NOT NULL,
      "payment_id" text,
      "cancel_reason" text,
      "total_minor" bigint NOT NULL,
      "currency" char(3) NOT NULL,
      "placed_at" timestamptz NOT NULL,
      "updated_at" timestamptz NOT NULL,
      CONSTRAINT "orders_status_check"
        CHECK ("status" IN ('pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired')),
      PRIMARY KEY ("id", "placed_at")
    ) PARTITION BY RANGE ("placed_at")`);
    // The primary key (id first) serves `WHERE id = $1` (detail, transitions): one index probe per
    // monthly partition, since the id alone does not tell the month.
    // Query: a customer's orders, newest first, keyset `(placed_at, id) < ($2, $3)` (GET /orders).
    await q.query(
      `CREATE INDEX "orders_customer_placed_idx" ON "ordering"."orders" ("customer_id", "placed_at" DESC, "id" DESC)`,
    );
    // Query: admin list filtered by status, newest first (GET /admin/orders?status=).
    await q.query(
      `CREATE INDEX "orders_status_placed_idx" ON "ordering"."orders" ("status", "placed_at" DESC, "id" DESC)`,
    );
    // Query: admin list without filters or by placement range, newest first (GET /admin/orders).
    await q.query(
      `CREATE INDEX "orders_placed_idx" ON "ordering"."orders" ("placed_at" DESC, "id" DESC)`,
    );

    // Primary key serves the lines of a page of orders (`order_id = ANY($1)`).
    await q.query(`CREATE TABLE "ordering"."order_lines" (
      "order_id" uuid NOT NULL,
      "placed_at" timestamptz NOT NULL,
      "sku" text NOT NULL,
      "product_id" uuid NOT NULL,
      "name" text NOT NULL,
      "quantity" integer NOT NULL,
      "unit_price_minor" integer NOT NULL,
      PRIMARY KEY ("order_id", "placed_at", "sku")
    ) PARTITION BY RANGE ("placed_at")`);

    // Creates the monthly partitions of both tables from the current month (UTC) to N months
    // ahead. Idempotent; an advisory lock serialises concurrent callers (several workers at boot).
    await q.query(`CREATE FUNCTION "ordering"."ensure_order_partitions"(months_ahead integer)
      RETURNS integer LANGUAGE plpgsql AS $fn$
      DECLARE
        first_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
        month_start date;
        suffix text;
        parent text;
        created integer := 0;
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtext('ordering.ensure_order_partitions'));
        FOR i IN 0..months_ahead LOOP
          month_start := (first_month + make_interval(months => i))::date;
          suffix := to_char(month_start, 'YYYY_MM');
          FOREACH parent IN ARRAY ARRAY['orders', 'order_lines'] LOOP
            IF to_regclass(format('ordering.%I', parent || '_' || suffix)) IS NULL THEN
              EXECUTE format(
                'CREATE TABLE ordering.%I PARTITION OF ordering.%I FOR VALUES FROM (%L) TO (%L)',
                parent || '_' || suffix, parent,
                month_start::text || ' 00:00:00+00',
                (month_start + interval '1 month')::date::text || ' 00:00:00+00');
              created := created + 1;
            END IF;
          END LOOP;
        END LOOP;
        RETURN created;
      END
      $fn$`);
    await q.query(`SELECT "ordering"."ensure_order_partitions"(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION "ordering"."ensure_order_partitions"(integer)`);
    await q.query(`DROP TABLE "ordering"."order_lines"`);
    await q.query(`DROP TABLE "ordering"."orders"`);
    await q.query(`DROP TABLE "ordering"."idempotency_keys"`);
    await q.query(`DROP TABLE "ordering"."cart_lines"`);
    await q.query(`DROP TABLE "ordering"."carts"`);
  }
}
