import type { MigrationInterface } from 'typeorm';

/** The notifications context's tables (schema, outbox and processed_events: CheckoutContextSchemas). */
export class NotificationsMessages1764374404000 implements MigrationInterface {
  name = 'NotificationsMessages1764374404000';

  async up(): Promise<void> {}

  async down(): Promise<void> {}
}
