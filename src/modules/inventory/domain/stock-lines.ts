import type { StockLine } from '../inventory.contract.js';
import { InvalidStockLineError } from './inventory.errors.js';

const MAX_QUANTITY = 1_000_000;

/**
 * One line per SKU, quantities summed, sorted by SKU. Every transaction that touches several
 * stock rows locks them in this order, so two reservations can never wait on each other
 * (no deadlock), and each row is updated once per reservation.
 */
export function mergeLines(lines: readonly StockLine[]): StockLine[] {
  if (lines.length === 0) throw new InvalidStockLineError('A reservation needs at least one line');
  const bySku = new Map<string, number>();
  for (const line of lines) {
    if (typeof line.sku !== 'string' || line.sku.length === 0 || line.sku.length > 64) {
      throw new InvalidStockLineError('Each line needs a SKU of 1 to 64 characters');
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_QUANTITY) {
      throw new InvalidStockLineError(`Quantity of ${line.sku} must be a positive integer`);
    }
    bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  }
  if ([...bySku.values()].some((q) => q > MAX_QUANTITY)) {
    throw new InvalidStockLineError('Quantity too large');
  }
  return [...bySku.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Whether a change of available stock from `before` to `after` flips the SKU between in stock
 * and sold out. Only flips (and admin changes) are published as inventory.stock.changed, so a
 * flash sale that reserves one unit at a time does not put one event per unit on the queue.
 */
export function crossesZero(before: number, after: number): boolean {
  return before > 0 !== after > 0;
}
