import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ProductEntity } from './product.entity.js';

/** A sellable variant of a product: its SKU, option values (size, colour…) and price. */
@Entity({ schema: 'catalog', name: 'variants' })
@Check('variants_price_minor_check', '"price_minor" >= 0')
export class VariantEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Query: variants of a page of products, `product_id = ANY($1)` (GraphQL loader, documents). */
  @Index('variants_product_idx')
  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @ManyToOne(() => ProductEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'product_id' })
  product?: ProductEntity;

  /** Query: variant by SKU (import, checkout). */
  @Index('variants_sku_key', { unique: true })
  @Column({ type: 'text' })
  sku: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  options: Record<string, string>;

  @Column({ name: 'price_minor', type: 'integer' })
  priceMinor: number;

  @Column({ type: 'integer', default: 0 })
  position: number;

  /** Follows inventory.stock.changed (StockLevelProjector); true until inventory says otherwise. */
  @Column({ name: 'in_stock', type: 'boolean', default: true })
  inStock: boolean;

  /** When the stock event applied last occurred; an older event arriving later is ignored. */
  @Column({ name: 'stock_as_of', type: 'timestamptz', nullable: true })
  stockAsOf: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
