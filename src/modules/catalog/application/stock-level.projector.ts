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
 * cache entries invalidated after commit, as ProductDocumentProjector does.
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
      `UPDATE catalog.variants SET in_stock = $2 WHERE sku = $1 RETURNING product_id`,
      [sku, available > 0],
    )) as [{ product_id: string }[], number];
    const productIds = [...new Set(rows[0].map((r) => r.product_id))];
    if (productIds.length === 0) return undefined; // stock of a SKU the catalog does not sell
    await manager.query(UPSERT_PRODUCT_DOCUMENTS, [productIds]);
    return () => this.cacheTags.invalidate(productTags(productIds));
  }
}
