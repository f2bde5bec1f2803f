import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdminOrdersController } from './api/admin-orders.controller.js';
import { CartController } from './api/cart.controller.js';
import { CheckoutController } from './api/checkout.controller.js';
import { OrdersController } from './api/orders.controller.js';
import { CartService } from './application/cart.service.js';
import { CART_LINES, IDEMPOTENCY_STORE, ORDER_PLACEMENT } from './application/checkout.ports.js';
import { CheckoutService } from './application/checkout.service.js';
import { OrderQueries } from './application/order-queries.service.js';
import { OrderTransitions } from './application/order-transitions.service.js';
import { PaymentOutcomeHandler } from './application/payment-outcome.handler.js';
import { ReservationExpiredHandler } from './application/reservation-expired.handler.js';
import { CartLineEntity } from './infrastructure/cart-line.entity.js';
import { CartEntity } from './infrastructure/cart.entity.js';
import { IdempotencyKeyRepository } from './infrastructure/idempotency-key.repository.js';
import { IdempotencyKeyEntity } from './infrastructure/idempotency-key.entity.js';
import { OrderPlacementRepository } from './infrastructure/order-placement.repository.js';
import {
  ORDERING_MAINTENANCE_QUEUE,
  OrderingMaintenance,
} from './infrastructure/ordering-maintenance.worker.js';

/**
 * Tables the ordering context maps; the migration CLI and the drift check load them. Orders and
 * order lines are partitioned tables, which TypeORM cannot describe: they have no entity and are
 * used through SQL only.
 */
export const ORDERING_ENTITIES: (new () => object)[] = [
  CartEntity,
  CartLineEntity,
  IdempotencyKeyEntity,
];

/** Carts, checkout and the orders it places. */
@Module({})
export class OrderingModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: OrderingModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature(ORDERING_ENTITIES),
        // Every role: the API's queue dashboard shows it, the worker runs it.
        BullModule.registerQueue({ name: ORDERING_MAINTENANCE_QUEUE }),
      ],
      controllers: options.api
        ? [CartController, CheckoutController, OrdersController, AdminOrdersController]
        : [],
      providers: [
        CartService,
        CheckoutService,
        OrderQueries,
        OrderTransitions,
        IdempotencyKeyRepository,
        OrderPlacementRepository,
        { provide: IDEMPOTENCY_STORE, useExisting: IdempotencyKeyRepository },
        { provide: ORDER_PLACEMENT, useExisting: OrderPlacementRepository },
        { provide: CART_LINES, useExisting: CartService },
        ...(options.worker
          ? [PaymentOutcomeHandler, ReservationExpiredHandler, OrderingMaintenance]
          : []),
      ],
      exports: [],
    };
  }
}
