import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutboxWriter } from '../../../platform/messaging/outbox-writer.js';
import { OnHandBelowReservedError, StockNotFoundError } from '../domain/inventory.errors.js';
import { HotSkuReconciler } from './hot-sku-reconciler.js';
import { stockChanged } from './stock-events.js';

/** A SKU's stock as admins see it. */
export interface StockView {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  hot: boolean;
}

interface StockRow {
  sku: string;
  on_hand: number;
  reserved: number;
  hot: boolean;
}

/** Admin changes to stock: set on-hand, mark hot. */
@Injectable()
export class StockAdminService {
  private readonly logger = new Logger('StockAdmin');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly reconciler: HotSkuReconciler,
  ) {}

  /**
   * Sets on-hand (creating the SKU's stock on first use) and optionally the hot flag. Every
   * admin change publishes inventory.stock.changed, whatever the availability did.
   */
  async set(sku: string, onHand: number, hot?: boolean): Promise<StockView> {
    const row = await this.dataSource.transaction(async (m) => {
      const rows = (await m.query(
        `INSERT INTO inventory.stock AS s (sku, on_hand, hot) VALUES ($1, $2, COALESCE($3::boolean, false))
         ON CONFLICT (sku) DO UPDATE SET on_hand = EXCLUDED.on_hand,
           hot = COALESCE($3::boolean, s.hot), updated_at = now()
         WHERE s.reserved <= EXCLUDED.on_hand
         RETURNING sku, on_hand, reserved, hot`,
        [sku, onHand, hot ?? null],
      )) as StockRow[];
      if (!rows[0]) {
        const [current] = (await m.query(`SELECT reserved FROM inventory.stock WHERE sku = $1`, [
          sku,
        ])) as { reserved: number }[];
        throw new OnHandBelowReservedError(sku, current?.reserved ?? 0);
      }
      await this.outbox.append(m, 'inventory', [
        stockChanged(sku, rows[0].on_hand - rows[0].reserved),
      ]);
      return rows[0];
    });
    // The gate follows at once; should this fail, the scheduled reconcile catches up.
    await this.reconciler.reconcile(sku).catch((err: Error) => {
      this.logger.warn(`reconcile of ${sku} after admin change failed: ${err.message}`);
    });
    return toView(row);
  }

  async get(sku: string): Promise<StockView> {
    const rows = (await this.dataSource.query(
      `SELECT sku, on_hand, reserved, hot FROM inventory.stock WHERE sku = $1`,
      [sku],
    )) as StockRow[];
    if (!rows[0]) throw new StockNotFoundError(sku);
    return toView(rows[0]);
  }
}

function toView(row: StockRow): StockView {
  return {
    sku: row.sku,
    onHand: row.on_hand,
    reserved: row.reserved,
    available: row.on_hand - row.reserved,
    hot: row.hot,
  };
}
