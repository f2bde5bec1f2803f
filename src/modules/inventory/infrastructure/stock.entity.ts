import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Stock of one SKU. `available = on_hand - reserved`; the CHECK is the last line of defence
 * against overselling (the conditional UPDATE in reserve is the first).
 */
@Entity({ schema: 'inventory', name: 'stock' })
@Check('stock_reserved_check', '"reserved" >= 0 AND "reserved" <= "on_hand"')
@Index('stock_hot_idx', { synchronize: false })
export class StockEntity {
  /** Query: every reserve/commit/release line, `WHERE sku = $1` (primary key). */
  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ name: 'on_hand', type: 'integer' })
  onHand: number;

  @Column({ type: 'integer', default: 0 })
  reserved: number;

  /** Flash-sale mode: reserve first passes the Redis token gate. */
  @Column({ type: 'boolean', default: false })
  hot: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
