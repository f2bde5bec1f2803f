import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type pg from 'pg';

export const WEBHOOK_PATH = '/api/v1/payments/webhooks/test';

/** `t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, written out here independently of src/. */
export function sign(secret: string, t: number, body: string): string {
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

export const nowS = () => Math.floor(Date.now() / 1000);

/** A provider event in the test provider's wire format. */
export function providerEvent(
  type: 'payment_intent.processing' | 'payment_intent.succeeded' | 'payment_intent.payment_failed',
  providerPaymentId: string,
  orderId: string,
): Record<string, unknown> {
  const status = type.endsWith('failed') ? 'failed' : type.split('.')[1];
  return {
    id: `evt_${randomBytes(10).toString('hex')}`,
    object: 'event',
    type,
    created: nowS(),
    data: {
      object: {
        id: providerPaymentId,
        object: 'payment_intent',
        amount: 4200,
        currency: 'eur',
        status,
        metadata: { orderId },
        ...(status === 'failed'
          ? { last_payment_error: { code: 'card_declined', message: 'declined' } }
          : {}),
      },
    },
  };
}

/** POSTs a webhook; `signature` overrides the header (null: none at all). */
export async function deliver(
  base: string,
  body: string,
  signature: string | null,
  contentType = 'application/json',
): Promise<{ status: number; type: string; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signature !== null) headers['scaleshop-signature'] = signature;
  const res = await fetch(`${base}${WEBHOOK_PATH}`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', json };
}

/** Writes an `ordering.order.placed` event to ordering's outbox, as checkout would. */
export async function placeOrder(
  db: pg.Pool,
  fields: { paymentMethod: string; requestId?: string; orderId?: string; totalMinor?: number },
): Promise<{ orderId: string; customerId: string; eventId: string }> {
  const orderId = fields.orderId ?? randomUUID();
  const customerId = randomUUID();
  const eventId = randomUUID();
  const payload = {
    orderId,
    customerId,
    reservationId: randomUUID(),
    totalMinor: fields.totalMinor ?? 4200,
    currency: 'EUR',
    paymentMethod: fields.paymentMethod,
    lines: [
      { sku: 'SKU-1', productId: randomUUID(), name: 'Thing', quantity: 2, unitPriceMinor: 2100 },
    ],
    placedAt: new Date().toISOString(),
  };
  await db.query(
    `INSERT INTO ordering.outbox (id, type, version, payload, request_id)
     VALUES ($1, 'ordering.order.placed', 1, $2::jsonb, $3)`,
    [eventId, JSON.stringify(payload), fields.requestId ?? null],
  );
  return { orderId, customerId, eventId };
}

export async function count(db: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0].n;
}
