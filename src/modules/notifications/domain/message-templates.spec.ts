import { formatMinor } from './format-money.js';
import { escapeHtml } from './html-escape.js';
import { orderReference, renderMessage } from './message-templates.js';

const ORDER = '3f2a9c1e-0000-4000-8000-000000000001';

describe('formatMinor', () => {
  it('places the decimal point by the currency', () => {
    expect(formatMinor(1234, 'EUR')).toBe('€12.34');
    expect(formatMinor(5, 'EUR')).toBe('€0.05');
    expect(formatMinor(1234, 'JPY')).toBe('JP¥1,234');
    expect(formatMinor(12345, 'KWD')).toMatch(/^KWD\s12\.345$/); // three minor digits
    expect(formatMinor(-250, 'GBP')).toBe('-£2.50');
  });

  it('stays exact for amounts beyond float precision of cents', () => {
    expect(formatMinor(9_007_199_254_740_991, 'USD')).toBe('US$90,071,992,547,409.91');
  });

  it('refuses fractional minor amounts', () => {
    expect(() => formatMinor(12.5, 'EUR')).toThrow(RangeError);
  });
});

describe('escapeHtml', () => {
  it('escapes markup and quotes', () => {
    expect(escapeHtml(`<a href="x">O'Neil & co</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;O&#39;Neil &amp; co&lt;/a&gt;',
    );
  });
});

describe('renderMessage', () => {
  it('lists an order-placed mail with formatted amounts, escaping names in HTML only', () => {
    const mail = renderMessage({
      kind: 'order_placed',
      orderId: ORDER,
      totalMinor: 4598,
      currency: 'EUR',
      lines: [
        { name: '<script>alert(1)</script> Mug', quantity: 2, unitPriceMinor: 1299 },
        { name: 'Tea & Biscuits', quantity: 1, unitPriceMinor: 2000 },
      ],
    });
    expect(mail.subject).toBe(`Order ${orderReference(ORDER)} received`);
    expect(orderReference(ORDER)).toBe('3F2A9C1E');
    expect(mail.text).toContain('2 × <script>alert(1)</script> Mug: €25.98');
    expect(mail.text).toContain('Total: €45.98');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Mug');
    expect(mail.html).toContain('Tea &amp; Biscuits');
    expect(mail.html).toContain('<strong>€45.98</strong>');
  });

  it('writes the paid and cancelled mails', () => {
    const paid = renderMessage({
      kind: 'order_paid',
      orderId: ORDER,
      totalMinor: 100,
      currency: 'USD',
    });
    expect(paid.subject).toBe('Payment received for order 3F2A9C1E');
    expect(paid.text).toContain('US$1.00');
    const cancelled = renderMessage({
      kind: 'order_cancelled',
      orderId: ORDER,
      reason: 'payment_failed',
    });
    expect(cancelled.subject).toBe('Order 3F2A9C1E cancelled');
    expect(cancelled.text).toContain('the payment did not go through');
    const unknown = renderMessage({ kind: 'order_cancelled', orderId: ORDER, reason: '<b>x</b>' });
    expect(unknown.html).not.toContain('<b>x</b>');
  });
});
