import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminInventoryController } from './api/admin-inventory.controller.js';
import { HotSkuReconciler } from './application/hot-sku-reconciler.js';
import { OrderReservationHandler } from './application/order-reservation.handler.js';
import { ReservationLifecycle } from './application/reservation-lifecycle.service.js';
import { ReservationService } from './application/reservation.service.js';
import { StockAdminService } from './application/stock-admin.service.js';
import { StockReturn } from './application/stock-return.js';
import { HotSkuGate } from './infrastructure/hot-sku-gate.js';
import { InventoryMaintenanceWorker } from './infrastructure/inventory-maintenance.worker.js';
import { ReservationLineEntity } from './infrastructure/reservation-line.entity.js';
import { ReservationEntity } from './infrastructure/reservation.entity.js';
import { StockEntity } from './infrastructure/stock.entity.js';
import { INVENTORY_MAINTENANCE_QUEUE, INVENTORY_PORT } from './inventory.contract.js';
import { inventoryMetricProviders } from './inventory.metrics.js';

/** Tables the inventory context maps; the migration CLI and the drift check load them. */
export const INVENTORY_ENTITIES: (new () => object)[] = [
  StockEntity,
  ReservationEntity,
  ReservationLineEntity,
];

/** Stock per SKU and the reservations that hold it. */
@Module({})
export class InventoryModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: InventoryModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature(INVENTORY_ENTITIES),
        // Every role: the API's queue dashboard shows it, the worker runs it.
        BullModule.registerQueue({ name: INVENTORY_MAINTENANCE_QUEUE }),
      ],
      controllers: options.api ? [AdminInventoryController] : [],
      providers: [
        HotSkuGate,
        StockReturn,
        ReservationLifecycle,
        ReservationService,
        HotSkuReconciler,
        StockAdminService,
        ...inventoryMetricProviders,
        { provide: INVENTORY_PORT, useExisting: ReservationService },
        ...(options.worker ? [OrderReservationHandler, InventoryMaintenanceWorker] : []),
      ],
      exports: [INVENTORY_PORT],
    };
  }
}
