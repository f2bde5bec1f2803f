import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The shop's read model: one denormalised document per product (product, variants, prices,
 * category path, stock flag) with the columns shop queries filter and sort on. Rebuilt by the
 * worker from catalog events, never in the request path; shop reads are one indexed query here.
 * Indexes marked `synchronize: false` are GIN/partial indexes written in the migration.
 */
@Entity({ schema: 'catalog', name: 'product_documents' })
@Index('product_documents_newest_idx', { synchronize: false })
@Index('product_documents_price_idx', { synchronize: false })
export class ProductDocumentEntity {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId: string;

  /** Query: shop detail by slug. */
  @Index('product_documents_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  status: string;

  /** The product's category and all its ancestors. Query: category filter (GIN). */
  @Index('product_documents_category_ids_gin', { synchronize: false })
  @Column({ name: 'category_ids', type: 'uuid', array: true, default: () => "'{}'" })
  categoryIds: string[];

  @Column({ name: 'min_price', type: 'integer' })
  minPrice: number;

  @Column({ name: 'max_price', type: 'integer' })
  maxPrice: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'in_stock', type: 'boolean', default: true })
  inStock: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Weighted: name and SKUs (A), category names (B), description (C). Query: search (GIN). */
  @Index('product_documents_search_gin', { synchronize: false })
  @Column({ type: 'tsvector' })
  search: string;

  /** Lower-cased name and SKUs for typo-tolerant matching. Query: trigram fallback (GIN). */
  @Index('product_documents_search_text_trgm', { synchronize: false })
  @Column({ name: 'search_text', type: 'text' })
  searchText: string;

  /** The product as the shop API returns it. */
  @Column({ type: 'jsonb' })
  document: Record<string, unknown>;

  @Column({ type: 'integer' })
  revision: number;

  @Column({ name: 'source_version', type: 'integer' })
  sourceVersion: number;

  @Column({ name: 'refreshed_at', type: 'timestamptz' })
  refreshedAt: Date;
}
