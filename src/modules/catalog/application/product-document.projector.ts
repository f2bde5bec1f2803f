import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CacheTagIndex } from '../../../platform/cache/cache-tag-index.js';
import {
  HandlesEvents,
  type AfterCommit,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import {
  CATALOG_EVENTS,
  type CategoryChangedV1,
  type ProductChangedV1,
} from '../catalog.contract.js';
import { CATEGORY_TREE_TAG, productTags } from './product-cache-tags.js';
import { PRODUCTS_IN_CATEGORY_SUBTREE, UPSERT_PRODUCT_DOCUMENTS } from './product-document.sql.js';

/**
 * Keeps product documents in step with the normalised tables. Events may arrive out of order:
 * a document is always rebuilt from the current rows, and `revision` counts the events applied
 * (exactly once each, see InboxWorkers). The cache entries built from the old documents are
 * invalidated only after the new ones are committed, so no reader can re-cache the old state.
 */
@Injectable()
@HandlesEvents({
  consumer: 'catalog',
  name: 'product-document-projector',
  events: [
    CATALOG_EVENTS.productCreated,
    CATALOG_EVENTS.productUpdated,
    CATALOG_EVENTS.categoryChanged,
  ],
})
export class ProductDocumentProjector implements IntegrationEventHandler {
  constructor(private readonly cacheTags: CacheTagIndex) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<AfterCommit> {
    let productIds: string[];
    const extraTags: string[] = [];
    if (event.type === CATALOG_EVENTS.categoryChanged) {
      const { categoryId } = event.payload as unknown as CategoryChangedV1;
      const rows = (await manager.query(PRODUCTS_IN_CATEGORY_SUBTREE, [categoryId])) as {
        id: string;
      }[];
      productIds = rows.map((r) => r.id);
      extraTags.push(CATEGORY_TREE_TAG);
    } else {
      productIds = [(event.payload as unknown as ProductChangedV1).productId];
    }
    if (productIds.length) await manager.query(UPSERT_PRODUCT_DOCUMENTS, [productIds]);
    return () => this.cacheTags.invalidate([...productTags(productIds), ...extraTags]);
  }
}
