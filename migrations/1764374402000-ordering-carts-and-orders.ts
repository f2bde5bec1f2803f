import type { MigrationInterface } from 'typeorm';

/** The ordering context's tables (schema, outbox and processed_events: CheckoutContextSchemas). */
export class OrderingCartsAndOrders1764374402000 implements MigrationInterface {
  name = 'OrderingCartsAndOrders1764374402000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
