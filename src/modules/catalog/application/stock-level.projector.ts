import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CacheTagIndex } from '../../../platform/cache/cache-tag-index.js';
import {
  HandlesEvents,
  type AfterCommit,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { INVENTORY_EVENTS, type StockChangedV1 } from '../../inventory/inventory.contract.js';
import { productTags } from './product-cache-tags.js';
import { UPSERT_PRODUCT_DOCUMENTS } from './product-document.sql.js';

/**
 * The shop's in-stock flag follows inventory: a variant is in stock while its SKU has units
 * available, a product while any of its variants is. The product's document is rebuilt and its
 * cache entries invalidated after commit, as ProductDocumentProjector does. Inbox workers run
 * events concurrently, so the newest event per SKU wins (inventory writes a SKU's events while
 * holding its stock row, so their occurrence times follow the order of the changes).
 */
@Injectable()
@HandlesEvents({
  consumer: 'catalog',
  name: 'stock-level-projector',
  events: [INVENTORY_EVENTS.stockChanged],
})
export class StockLevelProjector implements IntegrationEventHandler {
  constructor(private readonly cacheTags: CacheTagIndex) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<AfterCommit | undefined> {
    const { sku, available } = event.payload as unknown as StockChangedV1;
    const rows = (await manager.query(
      `UPDATE catalog.variants SET in_stock = $2, stock_as_of = $3
        WHERE sku = $1 AND (stock_as_of IS NULL OR stock_as_of <= $3) RETURNING product_id`,
      [sku, available > 0, event.occurredAt],
    )) as [{ product_id: string }[], number];
    const productIds = [...new Set(rows[0].map((r) => r.product_id))];
    // None: a SKU the catalog does not sell, or a newer stock event was applied already.
    // (`<=`: occurredAt has millisecond precision; within one millisecond the later wins.)
    if (productIds.length === 0) return undefined;
    await manager.query(UPSERT_PRODUCT_DOCUMENTS, [productIds]);
    return () => this.cacheTags.invalidate(productTags(productIds));
  }
}
