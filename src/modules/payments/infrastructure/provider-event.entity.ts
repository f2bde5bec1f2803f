import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A webhook event as the provider sent it, recorded once per provider event id. */
@Entity({ schema: 'payments', name: 'provider_events' })
export class ProviderEventEntity {
  /** With event_id, the de-duplication key of webhook deliveries. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'provider_events_pkey' })
  provider: string;

  @PrimaryColumn({
    name: 'event_id',
    type: 'text',
    primaryKeyConstraintName: 'provider_events_pkey',
  })
  eventId: string;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  /** Set when the worker applied the event to its intent (or found it changes nothing). */
  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt: Date | null;
}
