import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CATALOG_PORT, type CatalogPort } from '../../catalog/catalog.contract.js';
import type { RequestedLine } from '../domain/order-pricing.js';
import { MixedCurrenciesError, UnknownSkuError } from '../domain/ordering.errors.js';
import type { CartLines } from './checkout.ports.js';

/** A cart line priced now; `available: false` when the catalog no longer sells its SKU. */
export interface CartLineView {
  sku: string;
  quantity: number;
  available: boolean;
  productId: string | null;
  name: string | null;
  unitPriceMinor: number | null;
  lineTotalMinor: number | null;
}

export interface CartView {
  lines: CartLineView[];
  /** Sum of the available lines. */
  totalMinor: number;
  currency: string | null;
  itemCount: number;
}

/**
 * One cart per customer. Lines hold SKUs and quantities only; prices are read from the catalog
 * whenever the cart is shown, so a cart never shows a stale price. Cart rows are read on the
 * primary: a customer who just added a line reads the cart in the next request, and a replica
 * could still miss it (cart reads are one primary-key range, cheap for the primary).
 */
@Injectable()
export class CartService implements CartLines {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(CATALOG_PORT) private readonly catalog: CatalogPort,
  ) {}

  async lines(customerId: string): Promise<RequestedLine[]> {
    return (await this.dataSource.query(
      `SELECT sku, quantity FROM ordering.cart_lines WHERE customer_id = $1 ORDER BY added_at, sku`,
      [customerId],
    )) as RequestedLine[];
  }

  async view(customerId: string): Promise<CartView> {
    const lines = await this.lines(customerId);
    const variants = lines.length
      ? await this.catalog.findVariantsBySku(lines.map((l) => l.sku))
      : [];
    const bySku = new Map(variants.filter((v) => v.active).map((v) => [v.sku, v]));
    const views: CartLineView[] = lines.map((l) => {
      const v = bySku.get(l.sku);
      return {
        sku: l.sku,
        quantity: l.quantity,
        available: !!v,
        productId: v?.productId ?? null,
        name: v?.productName ?? null,
        unitPriceMinor: v?.priceMinor ?? null,
        lineTotalMinor: v ? v.priceMinor * l.quantity : null,
      };
    });
    return {
      lines: views,
      totalMinor: views.reduce((sum, l) => sum + (l.lineTotalMinor ?? 0), 0),
      currency: [...bySku.values()][0]?.currency ?? null,
      itemCount: views.reduce((sum, l) => sum + l.quantity, 0),
    };
  }

  /** Adds the SKU or sets its quantity; it must be on sale, in the cart's currency. */
  async setLine(customerId: string, sku: string, quantity: number): Promise<CartView> {
    const others = (await this.lines(customerId)).filter((l) => l.sku !== sku).map((l) => l.sku);
    const variants = await this.catalog.findVariantsBySku([sku, ...others]);
    const variant = variants.find((v) => v.sku === sku);
    if (!variant?.active) throw new UnknownSkuError([sku]);
    if (variants.some((v) => v.sku !== sku && v.active && v.currency !== variant.currency)) {
      throw new MixedCurrenciesError();
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO ordering.carts (customer_id, updated_at) VALUES ($1, now())
         ON CONFLICT (customer_id) DO UPDATE SET updated_at = now()`,
        [customerId],
      );
      await manager.query(
        `INSERT INTO ordering.cart_lines (customer_id, sku, quantity, added_at)
         VALUES ($1, $2, $3, clock_timestamp())
         ON CONFLICT (customer_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity`,
        [customerId, sku, quantity],
      );
    });
    return this.view(customerId);
  }

  async removeLine(customerId: string, sku: string): Promise<CartView> {
    await this.dataSource.query(
      `DELETE FROM ordering.cart_lines WHERE customer_id = $1 AND sku = $2`,
      [customerId, sku],
    );
    return this.view(customerId);
  }

  async clear(customerId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM ordering.cart_lines WHERE customer_id = $1`, [customerId]);
      await manager.query(`DELETE FROM ordering.carts WHERE customer_id = $1`, [customerId]);
    });
  }
}
