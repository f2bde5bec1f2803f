import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A caller's Idempotency-Key and, once its request completed, the response to replay. */
@Entity({ schema: 'ordering', name: 'idempotency_keys' })
@Check('idempotency_keys_status_check', `"status" IN ('in_progress', 'completed')`)
export class IdempotencyKeyEntity {
  @PrimaryColumn({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** sha256 of the canonical request body. */
  @Column({ name: 'request_hash', type: 'text' })
  requestHash: string;

  @Column({ type: 'text' })
  status: 'in_progress' | 'completed';

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'jsonb', nullable: true })
  responseBody: unknown;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Query: the cleanup job's `DELETE … WHERE expires_at < now()`. */
  @Index('idempotency_keys_expires_idx')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;
}
