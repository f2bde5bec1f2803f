import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** A SKU and its quantity in a customer's cart; priced only when read, from the catalog. */
@Entity({ schema: 'ordering', name: 'cart_lines' })
@Check('cart_lines_quantity_check', '"quantity" BETWEEN 1 AND 99')
export class CartLineEntity {
  /** Primary key (customer_id, sku) serves the lines of one cart. */
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ type: 'integer' })
  quantity: number;

  @Column({ name: 'added_at', type: 'timestamptz' })
  addedAt: Date;
}
