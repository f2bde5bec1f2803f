import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ProductStatus } from '../catalog.contract.js';
import { CategoryEntity } from './category.entity.js';

/** The normalised product, written by admins. Prices live on its variants. */
@Entity({ schema: 'catalog', name: 'products' })
export class ProductEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Query: admin lookup by slug, slug uniqueness. */
  @Index('products_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ type: 'text', default: 'active' })
  status: ProductStatus;

  /** Query: products of a category subtree when the tree changes (document rebuild). */
  @Index('products_category_idx')
  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId: string | null;

  @ManyToOne(() => CategoryEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'category_id' })
  category?: CategoryEntity | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  images: string[];

  /** Increases by one on every change; events carry it. */
  @Column({ type: 'integer', default: 1 })
  version: number;

  /** Set by the application with millisecond precision, so cursors can carry it exactly. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
