import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ProductStatus } from '../catalog.contract.js';

/** The normalised product, written by admins. Shop reads page over it by (created_at, id). */
@Entity({ schema: 'catalog', name: 'products' })
@Index('products_status_created_id_idx', ['status', 'createdAt', 'id'])
export class ProductEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Query: product by slug (unique lookup). */
  @Index('products_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ name: 'price_minor', type: 'integer' })
  priceMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text', default: 'active' })
  status: ProductStatus;

  /** Increases by one on every change; events carry it. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** Set by the application with millisecond precision, so cursors can carry it exactly. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
