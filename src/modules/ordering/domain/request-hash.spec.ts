import { canonicalJson, requestHash } from './request-hash.js';

describe('request hash', () => {
  it('ignores key order at every level and undefined members', () => {
    const a = { paymentMethod: 'pm_card_visa', items: [{ sku: 'A', quantity: 2 }] };
    const b = { items: [{ quantity: 2, sku: 'A' }], paymentMethod: 'pm_card_visa', x: undefined };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash(a)).toBe(requestHash(b));
    expect(requestHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs when any value, or the order of an array, differs', () => {
    const base = {
      paymentMethod: 'pm_card_visa',
      items: [
        { sku: 'A', quantity: 2 },
        { sku: 'B', quantity: 1 },
      ],
    };
    const h = requestHash(base);
    expect(requestHash({ ...base, paymentMethod: 'pm_card_declined' })).not.toBe(h);
    expect(
      requestHash({
        ...base,
        items: [
          { sku: 'A', quantity: 3 },
          { sku: 'B', quantity: 1 },
        ],
      }),
    ).not.toBe(h);
    expect(requestHash({ ...base, items: [...base.items].reverse() })).not.toBe(h);
    expect(requestHash({ paymentMethod: 'pm_card_visa' })).not.toBe(h);
  });

  it('does not confuse a string with the number it spells', () => {
    expect(requestHash({ q: 1 })).not.toBe(requestHash({ q: '1' }));
  });
});
