import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { PaymentStatus } from '../payments.contract.js';

/** One payment per order, as the provider reported it last. */
@Entity({ schema: 'payments', name: 'payment_intents' })
@Check(
  'payment_intents_status_check',
  `"status" IN ('requires_confirmation', 'processing', 'succeeded', 'failed')`,
)
export class PaymentIntentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'payment_intents_pkey' })
  id: string;

  /** Query: PaymentsPort.paymentForOrder; one intent per order (ON CONFLICT guard). */
  @Index('payment_intents_order_id_key', { unique: true })
  @Column({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId: string;

  @Column({ type: 'text' })
  provider: string;

  /** Query: the provider event processor finds the intent a webhook is about. */
  @Index('payment_intents_provider_payment_id_key', { unique: true })
  @Column({ name: 'provider_payment_id', type: 'text' })
  providerPaymentId: string;

  @Column({ type: 'text' })
  status: PaymentStatus;

  @Column({ name: 'amount_minor', type: 'integer' })
  amountMinor: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  @Column({ name: 'payment_method', type: 'text' })
  paymentMethod: string;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
