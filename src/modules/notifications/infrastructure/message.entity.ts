import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { NotificationKind, NotificationStatus } from '../notifications.contract.js';

/**
 * One email to a customer about one of their orders, rendered when the order event arrived and
 * kept with its delivery state. At most one message of each kind per order (the unique index).
 * The partial index of the sweeper is written in the migration (`synchronize: false`).
 */
@Entity({ schema: 'notifications', name: 'messages' })
@Index('messages_order_kind_key', ['orderId', 'kind'], { unique: true })
@Index('messages_queued_created_idx', { synchronize: false })
@Check('messages_kind_check', `"kind" IN ('order_placed', 'order_paid', 'order_cancelled')`)
@Check('messages_status_check', `"status" IN ('queued', 'sent', 'failed')`)
export class MessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: NotificationKind;

  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ name: 'to_address', type: 'text' })
  toAddress: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ name: 'text_body', type: 'text' })
  textBody: string;

  @Column({ name: 'html_body', type: 'text' })
  htmlBody: string;

  @Column({ type: 'text', default: 'queued' })
  status: NotificationStatus;

  /** Delivery attempts made so far (each SMTP try, successful or not). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  /** RFC 5322 Message-ID, `<id@scaleshop>`: the same on every resend. */
  @Column({ name: 'message_id', type: 'text' })
  messageId: string;

  /** Request that caused the order event; travels into every send job, also when re-enqueued. */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
