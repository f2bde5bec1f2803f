import type { MigrationInterface } from 'typeorm';

/** The payments context's tables (schema, outbox and processed_events: CheckoutContextSchemas). */
export class PaymentsIntentsAndProviderEvents1764374403000 implements MigrationInterface {
  name = 'PaymentsIntentsAndProviderEvents1764374403000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
