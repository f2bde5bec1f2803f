import type { DataSource } from 'typeorm';

const CHUNK = 10_000;

/**
 * Gives every SKU `onHand` units (for the seed CLI). Existing stock is set, never below what is
 * reserved. No events: the catalog's in-stock flag defaults to true, which matches onHand > 0.
 */
export async function seedDemoStock(
  dataSource: DataSource,
  skus: readonly string[],
  onHand: number,
): Promise<void> {
  if (!Number.isInteger(onHand) || onHand < 0) throw new Error('onHand must be an integer >= 0');
  for (let i = 0; i < skus.length; i += CHUNK) {
    await dataSource.query(
      `INSERT INTO inventory.stock AS s (sku, on_hand)
       SELECT DISTINCT sku, $2::int FROM unnest($1::text[]) AS t(sku)
       ON CONFLICT (sku) DO UPDATE SET on_hand = GREATEST(EXCLUDED.on_hand, s.reserved),
         updated_at = now()`,
      [skus.slice(i, i + CHUNK), onHand],
    );
  }
}
