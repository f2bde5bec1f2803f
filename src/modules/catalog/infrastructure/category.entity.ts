import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';

/**
 * A node of the category tree (any depth). `path` holds the ids from the root down to this node,
 * so "this category and everything below it" is `path @> ARRAY[id]`, one GIN lookup.
 */
@Entity({ schema: 'catalog', name: 'categories' })
export class CategoryEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Query: children of a node, moving a subtree. */
  @Index('categories_parent_idx')
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id' })
  parent?: CategoryEntity | null;

  /** Query: category by slug (shop filter, bulk import). */
  @Index('categories_slug_key', { unique: true })
  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** Query: a subtree, `path @> ARRAY[$id]` (GIN, created in the migration). */
  @Index('categories_path_gin', { synchronize: false })
  @Column({ type: 'uuid', array: true })
  path: string[];

  @Column({ type: 'integer', default: 0 })
  position: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
