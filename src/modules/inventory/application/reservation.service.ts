import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { readQuery } from '../../../platform/database/read-query.js';
import { uniqueViolation } from '../../../platform/database/unique-violation.js';
import type { NewIntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { InvalidStockLineError } from '../domain/inventory.errors.js';
import { crossesZero, mergeLines } from '../domain/stock-lines.js';
import type {
  InventoryPort,
  ReserveRefusal,
  ReserveResult,
  StockLine,
} from '../inventory.contract.js';
import { HotSkuGate, type GateDecision } from '../infrastructure/hot-sku-gate.js';
import { insertReservation, reservationByReference } from '../infrastructure/reservation-store.js';
import { returning } from '../infrastructure/sql-rows.js';
import { ReservationLifecycle } from './reservation-lifecycle.service.js';
import { stockChanged } from './stock-events.js';

const MAX_TTL_MS = 7 * 24 * 3600 * 1000;

/** Unwinds the reservation's transaction when one line cannot be held. */
class LineRefused extends Error {
  constructor(readonly refusal: ReserveRefusal) {
    super('line refused');
  }
}

type DbOutcome = { outcome: 'reserved' | 'existing' | 'refused'; result: ReserveResult };

/** The in-process adapter of InventoryPort. */
@Injectable()
export class ReservationService implements InventoryPort {
  private readonly logger = new Logger('Reservations');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly gate: HotSkuGate,
    private readonly lifecycle: ReservationLifecycle,
  ) {}

  async reserve(
    lines: readonly StockLine[],
    options: { reference: string; ttlMs?: number },
  ): Promise<ReserveResult> {
    const merged = mergeLines(lines);
    const { reference } = options;
    if (typeof reference !== 'string' || reference.length === 0 || reference.length > 200)
      throw new InvalidStockLineError('A reservation needs a reference of 1 to 200 characters');
    const ttlMs = options.ttlMs ?? this.config.inventory.reservationTtlMs;
    if (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_TTL_MS)
      throw new InvalidStockLineError('ttlMs must be a positive integer of at most 7 days');

    // Hot SKUs: the Redis gate refuses sold-out callers before any SQL (see HotSkuReconciler).
    const decision = await this.gate.admit(reference, merged).catch((err: Error): GateDecision => {
      // Without the gate PostgreSQL still refuses correctly, only with more work; the tokens
      // not taken now are set right by the next reconcile.
      this.logger.warn(`hot-SKU gate unavailable, reserving through PostgreSQL: ${err.message}`);
      return { kind: 'skip' };
    });
    if (decision.kind === 'refused')
      return { ok: false, reason: 'sold_out', sku: decision.sku, available: decision.tokens };
    if (decision.kind === 'skip') return (await this.reserveInDb(merged, reference, ttlMs)).result;

    let outcome: DbOutcome['outcome'] = 'refused';
    try {
      const db = await this.reserveInDb(merged, reference, ttlMs);
      outcome = db.outcome;
      return db.result;
    } finally {
      await this.gate.settle(reference, decision.lines, outcome).catch((err: Error) => {
        // The reservation's fate is decided in PostgreSQL; a gate left too low (tokens not
        // given back) or holding a stale admission is repaired by the reconciler.
        this.logger.warn(`hot-SKU admission not settled: ${err.message}`);
      });
    }
  }

  commit(reservationId: string): Promise<boolean> {
    return this.lifecycle.commit(reservationId);
  }

  release(reservationId: string): Promise<boolean> {
    return this.lifecycle.release(reservationId);
  }

  async knownSoldOut(lines: readonly StockLine[]): Promise<string | null> {
    const merged = mergeLines(lines);
    // Unavailable gate: nothing is known, and reserve decides through PostgreSQL.
    const tokens = await this.gate.tokens(merged.map((l) => l.sku)).catch(() => []);
    const short = merged.find((l, i) => tokens[i] != null && (tokens[i] ?? 0) < l.quantity);
    return short?.sku ?? null;
  }

  async availability(skus: readonly string[]): Promise<Record<string, number>> {
    if (skus.length === 0) return {};
    const rows = await readQuery<{ sku: string; available: number }>(
      this.dataSource,
      `SELECT sku, on_hand - reserved AS available FROM inventory.stock WHERE sku = ANY($1::text[])`,
      [[...skus]],
    );
    return Object.fromEntries(rows.map((r) => [r.sku, r.available]));
  }

  /**
   * One transaction on the primary; lines in SKU order, each a conditional UPDATE.
   *
   * Why this cannot oversell under READ COMMITTED: an UPDATE locks the row it changes. A
   * second transaction updating the same SKU blocks on that lock; when the first commits,
   * PostgreSQL re-evaluates the second's WHERE (`on_hand - reserved >= $2`) against the newly
   * committed row version (not the snapshot the statement started with) and skips the row if
   * it no longer holds. So every successful UPDATE saw the latest `reserved`, and the sum of
   * holds never exceeds on_hand. The CHECK (reserved <= on_hand) is the backstop.
   */
  private async reserveInDb(
    lines: readonly StockLine[],
    reference: string,
    ttlMs: number,
  ): Promise<DbOutcome> {
    try {
      return await this.dataSource.transaction(async (m): Promise<DbOutcome> => {
        const existing = await reservationByReference(m, reference);
        if (existing) return { outcome: 'existing', result: { ok: true, reservation: existing } };
        const events: NewIntegrationEvent[] = [];
        for (const line of lines) {
          const [row] = await returning<{ available: number }>(
            m,
            `UPDATE inventory.stock SET reserved = reserved + $2, updated_at = now()
              WHERE sku = $1 AND on_hand - reserved >= $2 RETURNING on_hand - reserved AS available`,
            [line.sku, line.quantity],
          );
          if (!row) throw new LineRefused(await this.refusal(m, line.sku));
          if (crossesZero(row.available + line.quantity, row.available))
            events.push(stockChanged(line.sku, row.available));
        }
        const reservation = await insertReservation(m, randomUUID(), reference, lines, ttlMs);
        await this.outbox.append(m, 'inventory', events);
        return { outcome: 'reserved', result: { ok: true, reservation } };
      });
    } catch (err) {
      if (err instanceof LineRefused)
        return { outcome: 'refused', result: { ok: false, ...err.refusal } };
      if (uniqueViolation(err) === 'reservations_reference_key') {
        // A concurrent call with the same reference won: answer with its reservation.
        const winner = await reservationByReference(this.dataSource.manager, reference);
        if (winner) return { outcome: 'existing', result: { ok: true, reservation: winner } };
      }
      throw err;
    }
  }

  private async refusal(m: EntityManager, sku: string): Promise<ReserveRefusal> {
    const rows = (await m.query(
      `SELECT on_hand - reserved AS available FROM inventory.stock WHERE sku = $1`,
      [sku],
    )) as { available: number }[];
    return rows[0]
      ? { reason: 'sold_out', sku, available: rows[0].available }
      : { reason: 'unknown_sku', sku };
  }
}
