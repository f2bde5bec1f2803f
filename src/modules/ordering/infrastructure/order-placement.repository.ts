import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { ORDERING_EVENTS, type OrderPlacedV1 } from '../ordering.contract.js';
import {
  IDEMPOTENCY_STORE,
  type IdempotencyStore,
  type NewOrder,
  type OrderPlacement,
} from '../application/checkout.ports.js';

/**
 * Writes a placed order (orders and order_lines are partitioned, so plain SQL, no entity), its
 * `ordering.order.placed` event, the cart clean-up and the key's stored response in ONE
 * transaction: either the customer has an order, an event for payments and a replayable answer,
 * or none of them.
 */
@Injectable()
export class OrderPlacementRepository implements OrderPlacement {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(IDEMPOTENCY_STORE) private readonly keys: IdempotencyStore,
  ) {}

  async place(
    order: NewOrder,
    options: { idempotency: { customerId: string; key: string }; clearCartSkus: string[] | null },
  ): Promise<void> {
    const { view } = order;
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO ordering.orders (id, customer_id, status, reservation_id, payment_method,
           total_minor, currency, placed_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
        [
          view.id,
          order.customerId,
          view.status,
          order.reservationId,
          order.paymentMethod,
          view.totalMinor,
          view.currency,
          view.placedAt,
        ],
      );
      await manager.query(
        `INSERT INTO ordering.order_lines
           (order_id, placed_at, sku, product_id, name, quantity, unit_price_minor)
         SELECT $1, $2, * FROM unnest($3::text[], $4::uuid[], $5::text[], $6::int[], $7::int[])`,
        [
          view.id,
          view.placedAt,
          view.lines.map((l) => l.sku),
          view.lines.map((l) => l.productId),
          view.lines.map((l) => l.name),
          view.lines.map((l) => l.quantity),
          view.lines.map((l) => l.unitPriceMinor),
        ],
      );
      const placed: OrderPlacedV1 = {
        orderId: view.id,
        customerId: order.customerId,
        reservationId: order.reservationId,
        totalMinor: view.totalMinor,
        currency: view.currency,
        paymentMethod: order.paymentMethod,
        lines: view.lines.map((l) => ({
          sku: l.sku,
          productId: l.productId,
          name: l.name,
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor,
        })),
        placedAt: view.placedAt,
      };
      await this.outbox.append(manager, 'ordering', [
        { type: ORDERING_EVENTS.orderPlaced, version: 1, payload: { ...placed } },
      ]);
      if (options.clearCartSkus?.length) {
        await manager.query(
          `DELETE FROM ordering.cart_lines WHERE customer_id = $1 AND sku = ANY($2::text[])`,
          [order.customerId, options.clearCartSkus],
        );
      }
      const { customerId, key } = options.idempotency;
      await this.keys.complete(customerId, key, 201, view, manager);
    });
  }
}
