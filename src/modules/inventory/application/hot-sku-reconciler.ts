import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HotSkuGate } from '../infrastructure/hot-sku-gate.js';

/**
 * An admission older than this is taken for one whose process died between the gate and the
 * database step; no healthy reserve transaction takes anywhere near this long.
 */
export const HOT_ADMISSION_GRACE_MS = 30_000;

/**
 * Makes the Redis gate agree with PostgreSQL (on worker boot, on a schedule, after an admin
 * change). Crashes leave the gate wrong in known ways: a process killed between admission and
 * its database step leaves tokens too low; a lost give-back leaves them too low; a give-back
 * that raced a reconcile may leave them too high (harmless: PostgreSQL refuses).
 *
 * The design that keeps admissions in flight from being counted twice or not at all:
 * every admission is recorded, atomically with its decrement, in the SKU's sorted set
 * (score = Redis time) and removed only after its database step. The reconciler
 *   1. locks the SKU's stock row (SELECT … FOR UPDATE): no reservation of this SKU can commit
 *      until it is done, so `available` cannot move under it;
 *   2. reads the recorded admissions and asks PostgreSQL which of their references already
 *      have a reservation (those are inside `available` already; the rest are in flight, and
 *      cannot commit while the lock is held);
 *   3. in one Lua script: drops admissions older than the grace period (crashed), drops those
 *      already in PostgreSQL, and sets tokens = available − Σ quantity of the rest.
 * Admissions that arrive during steps 2–3 are in the set and not in PostgreSQL, so they count
 * as in flight, which they are.
 */
@Injectable()
export class HotSkuReconciler {
  private readonly logger = new Logger('HotSkuReconciler');

  constructor(
    private readonly dataSource: DataSource,
    private readonly gate: HotSkuGate,
  ) {}

  /** Every hot SKU, plus SKUs the gate still guards although PostgreSQL says they are not hot. */
  async reconcileAll(): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT sku FROM inventory.stock WHERE hot ORDER BY sku`,
    )) as { sku: string }[];
    const skus = new Set([...rows.map((r) => r.sku), ...(await this.gate.guardedSkus())]);
    for (const sku of skus) await this.reconcile(sku);
    return skus.size;
  }

  /** Returns the tokens now in Redis, or undefined when the SKU is not hot. */
  async reconcile(sku: string): Promise<number | undefined> {
    return this.dataSource.transaction(async (m) => {
      const [row] = (await m.query(
        `SELECT on_hand - reserved AS available, hot FROM inventory.stock WHERE sku = $1 FOR UPDATE`,
        [sku],
      )) as { available: number; hot: boolean }[];
      if (!row?.hot) {
        await this.gate.disable(sku);
        return undefined;
      }
      const refs = await this.gate.admissionReferences(sku);
      const done = refs.length
        ? (
            (await m.query(
              `SELECT reference FROM inventory.reservations WHERE reference = ANY($1::text[])`,
              [refs],
            )) as { reference: string }[]
          ).map((r) => r.reference)
        : [];
      const { tokens, inFlight } = await this.gate.reconcile(
        sku,
        row.available,
        HOT_ADMISSION_GRACE_MS,
        done,
      );
      this.logger.debug(
        `${sku}: tokens ${tokens} (available ${row.available}, in flight ${inFlight})`,
      );
      return tokens;
    });
  }
}
