import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NewIntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { crossesZero } from '../domain/stock-lines.js';
import type { StockLine } from '../inventory.contract.js';
import { HotSkuGate } from '../infrastructure/hot-sku-gate.js';
import { returning } from '../infrastructure/sql-rows.js';
import { stockChanged } from './stock-events.js';

/**
 * Gives held stock back (release, expiry) inside the caller's transaction and returns the
 * stock.changed events of SKUs that came back into stock. Lines must be in SKU order.
 */
@Injectable()
export class StockReturn {
  private readonly logger = new Logger('StockReturn');

  constructor(private readonly gate: HotSkuGate) {}

  async giveBack(
    manager: EntityManager,
    lines: readonly StockLine[],
  ): Promise<NewIntegrationEvent[]> {
    const events: NewIntegrationEvent[] = [];
    const hot: StockLine[] = [];
    for (const line of lines) {
      const [row] = await returning<{ available: number; hot: boolean }>(
        manager,
        `UPDATE inventory.stock SET reserved = reserved - $2, updated_at = now() WHERE sku = $1
         RETURNING on_hand - reserved AS available, hot`,
        [line.sku, line.quantity],
      );
      if (!row) continue;
      if (crossesZero(row.available - line.quantity, row.available))
        events.push(stockChanged(line.sku, row.available));
      if (row.hot) hot.push(line);
    }
    // Tokens go back while this transaction still holds the stock rows: a reconciler (which
    // locks the row first) then either ran before, or runs after the commit and sets the
    // tokens from the committed value. Should Redis fail, the release still goes through and
    // the gate stays too low until the next reconcile (PostgreSQL is the truth; the gate only
    // ever refuses early).
    if (hot.length) {
      try {
        await this.gate.giveBack(hot);
      } catch (err) {
        this.logger.warn(
          `hot-SKU tokens not given back, reconciler repairs: ${(err as Error).message}`,
        );
      }
    }
    return events;
  }
}
