import type { MigrationInterface } from 'typeorm';

/** The inventory context's tables (schema, outbox and processed_events: CheckoutContextSchemas). */
export class InventoryStockAndReservations1764374401000 implements MigrationInterface {
  name = 'InventoryStockAndReservations1764374401000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
