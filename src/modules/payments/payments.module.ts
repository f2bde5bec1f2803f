import { Module, type DynamicModule } from '@nestjs/common';

/** Tables the payments context maps; the migration CLI and the drift check load them. */
export const PAYMENTS_ENTITIES: (new () => object)[] = [];

/** Payment intents through a provider port, and the provider's webhooks. */
@Module({})
export class PaymentsModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    void options; // skeleton: filled in by the context's own work
    return { module: PaymentsModule };
  }
}
