import type { PaymentStatus } from '../payments.contract.js';

/**
 * How far along its life an intent is. Provider events may arrive twice or out of order, so a
 * report moves an intent only forward; succeeded and failed are final and equally far.
 */
const PROGRESS: Record<PaymentStatus, number> = {
  requires_confirmation: 0,
  processing: 1,
  succeeded: 2,
  failed: 2,
};

export function isFinal(status: PaymentStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}

/**
 * The status an intent takes when the provider reports `reported`, or null when the report
 * changes nothing (a duplicate, an older event arriving late, anything after a final status).
 */
export function nextStatus(current: PaymentStatus, reported: PaymentStatus): PaymentStatus | null {
  if (isFinal(current)) return null;
  return PROGRESS[reported] > PROGRESS[current] ? reported : null;
}
