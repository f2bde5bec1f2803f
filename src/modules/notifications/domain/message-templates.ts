import { formatMinor } from './format-money.js';
import { escapeHtml } from './html-escape.js';

/** A rendered email, ready to be stored and sent. */
export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

/** One priced line as the order-placed mail lists it. */
export interface MailLine {
  name: string;
  quantity: number;
  unitPriceMinor: number;
}

/** What each template needs; built from the ordering events by the handler. */
export type TemplateInput =
  | {
      kind: 'order_placed';
      orderId: string;
      totalMinor: number;
      currency: string;
      lines: readonly MailLine[];
    }
  | { kind: 'order_paid'; orderId: string; totalMinor: number; currency: string }
  | { kind: 'order_cancelled'; orderId: string; reason: string };

/** Customers quote this in support requests: the first block of the order's uuid. */
export function orderReference(orderId: string): string {
  return orderId.slice(0, 8).toUpperCase();
}

const CANCEL_REASONS: Record<string, string> = {
  payment_failed: 'the payment did not go through',
  customer: 'you cancelled it',
  admin: 'our team cancelled it',
};

/** Renders subject, plain text and HTML for one message kind. Pure: no I/O, no clock. */
export function renderMessage(input: TemplateInput): RenderedMessage {
  const ref = orderReference(input.orderId);
  switch (input.kind) {
    case 'order_placed':
      return orderPlaced(ref, input);
    case 'order_paid':
      return orderPaid(ref, input);
    case 'order_cancelled':
      return orderCancelled(ref, input);
  }
}

function orderPlaced(
  ref: string,
  input: Extract<TemplateInput, { kind: 'order_placed' }>,
): RenderedMessage {
  const total = formatMinor(input.totalMinor, input.currency);
  const lines = input.lines.map((l) => ({
    name: l.name,
    quantity: l.quantity,
    price: formatMinor(l.unitPriceMinor * l.quantity, input.currency),
  }));
  const text = [
    `Thank you for your order ${ref}.`,
    '',
    ...lines.map((l) => `${l.quantity} × ${l.name}: ${l.price}`),
    '',
    `Total: ${total}`,
    'We will write again once your payment has been confirmed.',
  ].join('\n');
  const rows = lines
    .map(
      (l) =>
        `<tr><td>${l.quantity} ×</td><td>${escapeHtml(l.name)}</td><td>${escapeHtml(l.price)}</td></tr>`,
    )
    .join('');
  const html = page(
    `<p>Thank you for your order <strong>${escapeHtml(ref)}</strong>.</p>` +
      `<table>${rows}</table>` +
      `<p>Total: <strong>${escapeHtml(total)}</strong></p>` +
      '<p>We will write again once your payment has been confirmed.</p>',
  );
  return { subject: `Order ${ref} received`, text, html };
}

function orderPaid(
  ref: string,
  input: Extract<TemplateInput, { kind: 'order_paid' }>,
): RenderedMessage {
  const total = formatMinor(input.totalMinor, input.currency);
  return {
    subject: `Payment received for order ${ref}`,
    text: `We received your payment of ${total} for order ${ref}.\nWe are preparing it for shipping.`,
    html: page(
      `<p>We received your payment of <strong>${escapeHtml(total)}</strong> for order ` +
        `<strong>${escapeHtml(ref)}</strong>.</p><p>We are preparing it for shipping.</p>`,
    ),
  };
}

function orderCancelled(
  ref: string,
  input: Extract<TemplateInput, { kind: 'order_cancelled' }>,
): RenderedMessage {
  const why = CANCEL_REASONS[input.reason] ?? 'it could not be completed';
  return {
    subject: `Order ${ref} cancelled`,
    text: `Your order ${ref} has been cancelled because ${why}.`,
    html: page(
      `<p>Your order <strong>${escapeHtml(ref)}</strong> has been cancelled because ` +
        `${escapeHtml(why)}.</p>`,
    ),
  };
}

function page(body: string): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${body}</body></html>`;
}
