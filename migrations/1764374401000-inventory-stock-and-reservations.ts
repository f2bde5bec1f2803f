import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inventory context's tables (schema, outbox and processed_events: CheckoutContextSchemas).
 *
 * Indexes and the queries they serve:
 * - inventory.stock primary key (sku): every reserve/commit/release/admin line, `WHERE sku = $1`.
 * - inventory.stock_hot_idx (partial, hot): the hot-SKU reconciler, `WHERE hot`.
 * - inventory.reservations_reference_key (unique): reserve's idempotency, `WHERE reference = $1`.
 * - inventory.reservations_held_expiry_idx (partial): the expiry sweep,
 *   `WHERE status = 'held' AND expires_at < now() ORDER BY expires_at LIMIT n FOR UPDATE SKIP LOCKED`.
 * - inventory.reservation_lines primary key (reservation_id, sku): a reservation's lines.
 */
export class InventoryStockAndReservations1764374401000 implements MigrationInterface {
  name = 'InventoryStockAndReservations1764374401000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "inventory"."stock" (
      "sku" text NOT NULL,
      "on_hand" integer NOT NULL,
      "reserved" integer NOT NULL DEFAULT '0',
      "hot" boolean NOT NULL DEFAULT false,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "stock_reserved_check" CHECK ("reserved" >= 0 AND "reserved" <= "on_hand"),
      CONSTRAINT "stock_pkey" PRIMARY KEY ("sku"))`);
    await q.query(`CREATE INDEX "stock_hot_idx" ON "inventory"."stock" ("sku") WHERE "hot"`);
    await q.query(`CREATE TABLE "inventory"."reservations" (
      "id" uuid NOT NULL,
      "reference" text NOT NULL,
      "status" text NOT NULL,
      "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "reservations_status_check" CHECK ("status" IN ('held', 'committed', 'released', 'expired')),
      CONSTRAINT "reservations_pkey" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE UNIQUE INDEX "reservations_reference_key" ON "inventory"."reservations" ("reference")`,
    );
    await q.query(
      `CREATE INDEX "reservations_held_expiry_idx" ON "inventory"."reservations" ("expires_at") WHERE "status" = 'held'`,
    );
    await q.query(`CREATE TABLE "inventory"."reservation_lines" (
      "reservation_id" uuid NOT NULL,
      "sku" text NOT NULL,
      "quantity" integer NOT NULL,
      CONSTRAINT "reservation_lines_quantity_check" CHECK ("quantity" > 0),
      CONSTRAINT "reservation_lines_pkey" PRIMARY KEY ("reservation_id", "sku"))`);
    await q.query(
      `ALTER TABLE "inventory"."reservation_lines" ADD CONSTRAINT "reservation_lines_reservation_fk" FOREIGN KEY ("reservation_id") REFERENCES "inventory"."reservations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "inventory"."reservation_lines"`);
    await q.query(`DROP TABLE "inventory"."reservations"`);
    await q.query(`DROP TABLE "inventory"."stock"`);
  }
}
