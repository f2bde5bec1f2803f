import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PaymentStatus, PaymentsPort, PaymentView } from '../payments.contract.js';

interface PaymentRow {
  id: string;
  order_id: string;
  provider: string;
  provider_payment_id: string;
  status: PaymentStatus;
  amount_minor: number;
  currency: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** PaymentsPort, in process. */
@Injectable()
export class PaymentQueryService implements PaymentsPort {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async paymentForOrder(orderId: string): Promise<PaymentView | null> {
    if (!UUID.test(orderId)) return null; // no such order, rather than a database error
    // The primary, not a replica: callers ask right after a payment event and must not see an
    // older status than the event they react to.
    const [row] = (await this.dataSource.query(
      `SELECT id, order_id, provider, provider_payment_id, status, amount_minor, currency
         FROM payments.payment_intents WHERE order_id = $1`,
      [orderId],
    )) as PaymentRow[];
    if (!row) return null;
    return {
      id: row.id,
      orderId: row.order_id,
      provider: row.provider,
      providerPaymentId: row.provider_payment_id,
      status: row.status,
      amountMinor: row.amount_minor,
      currency: row.currency,
    };
  }
}
