import type { OrderStatus } from '../ordering.contract.js';
import { assertTransition, canTransition, requiredSourceOf } from './order-status.js';
import { IllegalTransitionError } from './ordering.errors.js';

const ALL: OrderStatus[] = ['pending_payment', 'paid', 'fulfilled', 'cancelled', 'expired'];
const LEGAL = new Set([
  'pending_payment>paid',
  'pending_payment>cancelled',
  'pending_payment>expired',
  'paid>fulfilled',
]);

describe('order state machine', () => {
  it.each(ALL.flatMap((from) => ALL.map((to) => [from, to] as const)))(
    '%s → %s is legal only when listed',
    (from, to) => {
      const legal = LEGAL.has(`${from}>${to}`);
      expect(canTransition(from, to)).toBe(legal);
      if (legal) expect(() => assertTransition(from, to)).not.toThrow();
      else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
    },
  );

  it('refuses with a 409 coded error naming both states', () => {
    try {
      assertTransition('cancelled', 'paid');
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(IllegalTransitionError);
      const e = err as IllegalTransitionError;
      expect(e.code).toBe('ordering.illegal_transition');
      expect(e.kind).toBe('conflict');
      expect(e.details).toEqual({ from: 'cancelled', to: 'paid' });
    }
  });

  it('knows the single source of every target (used by the conditional UPDATE)', () => {
    expect(requiredSourceOf('paid')).toBe('pending_payment');
    expect(requiredSourceOf('cancelled')).toBe('pending_payment');
    expect(requiredSourceOf('expired')).toBe('pending_payment');
    expect(requiredSourceOf('fulfilled')).toBe('paid');
    expect(() => requiredSourceOf('pending_payment')).toThrow();
  });
});
