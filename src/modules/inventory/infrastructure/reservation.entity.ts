import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { ReservationView } from '../inventory.contract.js';

/** Stock held for a caller's object (an order); its lines are in reservation_lines. */
@Entity({ schema: 'inventory', name: 'reservations' })
@Check('reservations_status_check', `"status" IN ('held', 'committed', 'released', 'expired')`)
@Index('reservations_held_expiry_idx', { synchronize: false })
export class ReservationEntity {
  @PrimaryColumn('uuid')
  id: string;

  /** Query: reserve's idempotency, `WHERE reference = $1` (one reservation per reference). */
  @Index('reservations_reference_key', { unique: true })
  @Column({ type: 'text' })
  reference: string;

  @Column({ type: 'text' })
  status: ReservationView['status'];

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
