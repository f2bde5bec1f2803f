import { Module, type DynamicModule } from '@nestjs/common';

/** Tables the ordering context maps; the migration CLI and the drift check load them. */
export const ORDERING_ENTITIES: (new () => object)[] = [];

/** Carts, checkout and the orders it places. */
@Module({})
export class OrderingModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    void options; // skeleton: filled in by the context's own work
    return { module: OrderingModule };
  }
}
