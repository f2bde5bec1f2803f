import { orderMailInput, UnreadableOrderEventError } from './order-mail-input.js';

const base = { orderId: 'o-1', customerId: 'c-1', reservationId: 'r-1' };

describe('orderMailInput', () => {
  it('maps each ordering event to its template', () => {
    expect(
      orderMailInput('ordering.order.paid', {
        ...base,
        paymentId: 'p',
        totalMinor: 10,
        currency: 'EUR',
      }),
    ).toEqual({
      customerId: 'c-1',
      template: { kind: 'order_paid', orderId: 'o-1', totalMinor: 10, currency: 'EUR' },
    });
    expect(
      orderMailInput('ordering.order.cancelled', { ...base, reason: 'admin' }).template,
    ).toEqual({ kind: 'order_cancelled', orderId: 'o-1', reason: 'admin' });
    const placed = orderMailInput('ordering.order.placed', {
      ...base,
      totalMinor: 30,
      currency: 'EUR',
      lines: [{ sku: 's', productId: 'p', name: 'N', quantity: 3, unitPriceMinor: 10 }],
    });
    expect(placed.template).toEqual({
      kind: 'order_placed',
      orderId: 'o-1',
      totalMinor: 30,
      currency: 'EUR',
      lines: [{ name: 'N', quantity: 3, unitPriceMinor: 10 }],
    });
  });

  it('refuses payloads without what the mail needs', () => {
    expect(() => orderMailInput('ordering.order.paid', { ...base, currency: 'EUR' })).toThrow(
      UnreadableOrderEventError,
    );
    expect(() => orderMailInput('ordering.order.cancelled', { reason: 'admin' })).toThrow(
      /orderId/,
    );
    expect(() =>
      orderMailInput('ordering.order.placed', { ...base, totalMinor: 1, currency: 'EUR' }),
    ).toThrow(/lines/);
  });
});
