import type { OrderStatus } from '../ordering.contract.js';
import type { PricedLine } from '../domain/order-pricing.js';

/** An order as its customer sees it. */
export interface OrderView {
  id: string;
  status: OrderStatus;
  lines: PricedLine[];
  totalMinor: number;
  currency: string;
  placedAt: string;
}

/** An order as an admin sees it: whose it is and how its payment went. */
export interface AdminOrderView extends OrderView {
  customerId: string;
  paymentId: string | null;
  cancelReason: string | null;
  updatedAt: string;
}

export interface OrderPage<T> {
  items: T[];
  nextCursor: string | null;
}
