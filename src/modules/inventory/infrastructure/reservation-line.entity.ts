import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ReservationEntity } from './reservation.entity.js';

/** One SKU of a reservation (lines are merged per SKU, so the SKU is part of the key). */
@Entity({ schema: 'inventory', name: 'reservation_lines' })
@Check('reservation_lines_quantity_check', '"quantity" > 0')
export class ReservationLineEntity {
  /** Query: a reservation's lines, `WHERE reservation_id = $1` (primary key prefix). */
  @PrimaryColumn({ name: 'reservation_id', type: 'uuid' })
  reservationId: string;

  @PrimaryColumn({ type: 'text' })
  sku: string;

  @Column({ type: 'integer' })
  quantity: number;

  @ManyToOne(() => ReservationEntity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'reservation_id',
    foreignKeyConstraintName: 'reservation_lines_reservation_fk',
  })
  reservation?: ReservationEntity;
}
