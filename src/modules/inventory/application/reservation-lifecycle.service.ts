import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import type { ReservationView } from '../inventory.contract.js';
import { reservationLines } from '../infrastructure/reservation-store.js';
import { isUuid, returning } from '../infrastructure/sql-rows.js';
import { reservationExpired } from './stock-events.js';
import { StockReturn } from './stock-return.js';

/**
 * What happens to a held reservation: commit, release, expiry. Every transition is conditional
 * on `status = 'held'`, so it happens once: a second commit, a release after an expiry, or a
 * commit racing the sweeper all find the row no longer held (the UPDATE waits for the row lock
 * and re-checks the condition on the committed version) and change nothing.
 */
@Injectable()
export class ReservationLifecycle {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly stockReturn: StockReturn,
  ) {}

  /** Held stock becomes sold: on_hand and reserved drop together, available is unchanged. */
  async commit(reservationId: string, manager?: EntityManager): Promise<boolean> {
    if (!isUuid(reservationId)) return false;
    return this.inTransaction(manager, async (m) => {
      if (!(await this.transition(m, reservationId, 'committed'))) return false;
      for (const line of await reservationLines(m, [reservationId])) {
        await m.query(
          `UPDATE inventory.stock SET on_hand = on_hand - $2, reserved = reserved - $2,
                  updated_at = now() WHERE sku = $1`,
          [line.sku, line.quantity],
        );
      }
      return true;
    });
  }

  async release(reservationId: string, manager?: EntityManager): Promise<boolean> {
    if (!isUuid(reservationId)) return false;
    return this.inTransaction(manager, async (m) => {
      if (!(await this.transition(m, reservationId, 'released'))) return false;
      const events = await this.stockReturn.giveBack(m, await reservationLines(m, [reservationId]));
      await this.outbox.append(m, 'inventory', events);
      return true;
    });
  }

  /** The reservation's status, or undefined when there is none with this id. */
  async status(
    reservationId: string,
    manager: EntityManager,
  ): Promise<ReservationView['status'] | undefined> {
    if (!isUuid(reservationId)) return undefined;
    const rows = (await manager.query(`SELECT status FROM inventory.reservations WHERE id = $1`, [
      reservationId,
    ])) as { status: ReservationView['status'] }[];
    return rows[0]?.status;
  }

  /**
   * Expires up to `limit` held reservations past their expiry; returns how many. Rows are
   * claimed with FOR UPDATE SKIP LOCKED so that several sweepers (or a sweeper and a commit in
   * progress) never wait on each other, and each reservation expires once.
   */
  async expireBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      const due = (await m.query(
        `SELECT id, reference FROM inventory.reservations
          WHERE status = 'held' AND expires_at < now()
          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      )) as { id: string; reference: string }[];
      if (due.length === 0) return 0;
      const ids = due.map((r) => r.id);
      await m.query(
        `UPDATE inventory.reservations SET status = 'expired', updated_at = now()
          WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const events = await this.stockReturn.giveBack(m, await reservationLines(m, ids));
      events.push(...due.map((r) => reservationExpired(r.id, r.reference)));
      await this.outbox.append(m, 'inventory', events);
      return due.length;
    });
  }

  private async transition(
    m: EntityManager,
    id: string,
    to: 'committed' | 'released',
  ): Promise<boolean> {
    const rows = await returning<{ id: string }>(
      m,
      `UPDATE inventory.reservations SET status = $2, updated_at = now()
        WHERE id = $1 AND status = 'held' RETURNING id`,
      [id, to],
    );
    return rows.length === 1;
  }

  private inTransaction<T>(
    manager: EntityManager | undefined,
    work: (m: EntityManager) => Promise<T>,
  ): Promise<T> {
    return manager ? work(manager) : this.dataSource.transaction(work);
  }
}
