import type { VariantSummary } from '../../catalog/catalog.contract.js';
import { MixedCurrenciesError, UnknownSkuError } from './ordering.errors.js';

/** A SKU and how many of it were asked for. */
export interface RequestedLine {
  sku: string;
  quantity: number;
}

/** A line priced from the catalog's current data. */
export interface PricedLine {
  sku: string;
  productId: string;
  name: string;
  quantity: number;
  unitPriceMinor: number;
  lineTotalMinor: number;
}

export interface PricedOrder {
  lines: PricedLine[];
  totalMinor: number;
  currency: string;
}

/** Adds up the quantities of repeated SKUs, keeping the order of first appearance. */
export function mergeLines(lines: readonly RequestedLine[]): RequestedLine[] {
  const bySku = new Map<string, number>();
  for (const l of lines) bySku.set(l.sku, (bySku.get(l.sku) ?? 0) + l.quantity);
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Prices every line or refuses: a SKU the catalog does not know or does not sell, or lines in
 * different currencies, make the whole order unprocessable.
 */
export function priceOrder(
  variants: readonly VariantSummary[],
  requested: readonly RequestedLine[],
): PricedOrder {
  const bySku = new Map(variants.map((v) => [v.sku, v]));
  const missing = requested.filter((l) => !bySku.get(l.sku)?.active).map((l) => l.sku);
  if (missing.length) throw new UnknownSkuError(missing);
  const lines = requested.map((l) => {
    const v = bySku.get(l.sku) as VariantSummary;
    return {
      sku: l.sku,
      productId: v.productId,
      name: v.productName,
      quantity: l.quantity,
      unitPriceMinor: v.priceMinor,
      lineTotalMinor: v.priceMinor * l.quantity,
    };
  });
  const currencies = new Set(requested.map((l) => (bySku.get(l.sku) as VariantSummary).currency));
  if (currencies.size > 1) throw new MixedCurrenciesError();
  return {
    lines,
    totalMinor: lines.reduce((sum, l) => sum + l.lineTotalMinor, 0),
    currency: [...currencies][0] ?? '',
  };
}
