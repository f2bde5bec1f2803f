import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer's cart: one per customer, created with its first line. */
@Entity({ schema: 'ordering', name: 'carts' })
export class CartEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
