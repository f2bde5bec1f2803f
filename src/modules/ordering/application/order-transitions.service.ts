import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import type { OrderStatus } from '../ordering.contract.js';
import { assertTransition, requiredSourceOf } from '../domain/order-status.js';
import { IllegalTransitionError, OrderNotFoundError } from '../domain/ordering.errors.js';
import { eventOfTransition, type TransitionDetails } from './order-events.js';

/** How a transition went. */
export type TransitionOutcome = { applied: true } | { applied: false; current: OrderStatus | null };

interface UpdatedRow {
  id: string;
  customerId: string;
  reservationId: string;
  totalMinor: string;
  currency: string;
}

/**
 * Moves orders through their state machine. Each move is a conditional UPDATE (`WHERE status =
 * <the one legal source>`), so two concurrent deliveries cannot both apply it, and it writes its
 * event to the outbox in the same transaction.
 */
@Injectable()
export class OrderTransitions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Inside the caller's transaction (event handlers). Not applied: the order's current status
   * (null when there is no such order), for the caller to judge.
   */
  async apply(
    manager: EntityManager,
    orderId: string,
    to: OrderStatus,
    details: TransitionDetails = {},
    ownerId?: string,
  ): Promise<TransitionOutcome> {
    const from = requiredSourceOf(to);
    const [rows] = (await manager.query(
      `UPDATE ordering.orders
          SET status = $2, updated_at = now(),
              payment_id = COALESCE($4, payment_id), cancel_reason = COALESCE($5, cancel_reason)
        WHERE id = $1 AND status = $3 AND ($6::uuid IS NULL OR customer_id = $6)
        RETURNING id, customer_id AS "customerId", reservation_id AS "reservationId",
                  total_minor AS "totalMinor", currency`,
      [orderId, to, from, details.paymentId ?? null, details.cancelReason ?? null, ownerId ?? null],
    )) as [UpdatedRow[], number];
    const row = rows[0];
    if (!row) {
      const [found] = (await manager.query(
        `SELECT status FROM ordering.orders
          WHERE id = $1 AND ($2::uuid IS NULL OR customer_id = $2)`,
        [orderId, ownerId ?? null],
      )) as { status: OrderStatus }[];
      return { applied: false, current: found?.status ?? null };
    }
    const order = { ...row, totalMinor: Number(row.totalMinor) };
    await this.outbox.append(manager, 'ordering', [eventOfTransition(order, to, details)]);
    return { applied: true };
  }

  /**
   * For API commands: its own transaction; an unknown order (or another customer's) is 404, an
   * order in the wrong state is 409 ordering.illegal_transition.
   */
  async command(
    orderId: string,
    to: OrderStatus,
    details: TransitionDetails,
    ownerId?: string,
  ): Promise<void> {
    const outcome = await this.dataSource.transaction((manager) =>
      this.apply(manager, orderId, to, details, ownerId),
    );
    if (outcome.applied) return;
    if (outcome.current === null) throw new OrderNotFoundError();
    assertTransition(outcome.current, to);
    // Legal from what the SELECT saw, yet the UPDATE missed: a concurrent move got there first.
    throw new IllegalTransitionError(outcome.current, to);
  }
}
