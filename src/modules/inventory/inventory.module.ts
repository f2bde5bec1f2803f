import { Module, type DynamicModule } from '@nestjs/common';

/** Tables the inventory context maps; the migration CLI and the drift check load them. */
export const INVENTORY_ENTITIES: (new () => object)[] = [];

/** Stock per SKU and the reservations that hold it. */
@Module({})
export class InventoryModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    void options; // skeleton: filled in by the context's own work
    return { module: InventoryModule };
  }
}
