import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Denormalised read model of one product, rebuilt by the worker from catalog events, never in the
 * request path. `revision` counts rebuilds: with exactly-once handling it equals the number of
 * change events applied.
 */
@Entity({ schema: 'catalog', name: 'product_documents' })
export class ProductDocumentEntity {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ type: 'jsonb' })
  document: Record<string, unknown>;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ name: 'source_version', type: 'integer' })
  sourceVersion: number;

  @Column({ name: 'refreshed_at', type: 'timestamptz' })
  refreshedAt: Date;
}
