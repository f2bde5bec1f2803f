import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { CATALOG_EVENTS, type ProductChangedV1 } from '../catalog.contract.js';
import { ProductEntity } from '../infrastructure/product.entity.js';
import { toProductView } from './product-views.js';

/**
 * Rebuilds a product's document from the current row whenever the product changes. Events may
 * arrive out of order: the document always reflects the newest row, and `revision` counts the
 * events applied (exactly once each, see InboxWorkers).
 */
@Injectable()
@HandlesEvents({
  consumer: 'catalog',
  name: 'product-document-projector',
  events: [CATALOG_EVENTS.productCreated, CATALOG_EVENTS.productUpdated],
})
export class ProductDocumentProjector implements IntegrationEventHandler {
  async handle(event: IntegrationEvent, manager: EntityManager): Promise<void> {
    const { productId } = event.payload as unknown as ProductChangedV1;
    const product = await manager.findOne(ProductEntity, { where: { id: productId } });
    if (!product) return;
    const document = { ...toProductView(product) };
    await manager.query(
      `INSERT INTO catalog.product_documents (product_id, document, revision, source_version, refreshed_at)
       VALUES ($1, $2::jsonb, 1, $3, now())
       ON CONFLICT (product_id) DO UPDATE
         SET document = EXCLUDED.document,
             revision = catalog.product_documents.revision + 1,
             source_version = GREATEST(catalog.product_documents.source_version, EXCLUDED.source_version),
             refreshed_at = now()`,
      [product.id, JSON.stringify(document), product.version],
    );
  }
}
