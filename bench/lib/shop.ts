import { createHmac } from 'node:crypto';
import pg from 'pg';
import { ACCESS_SECRET, ADMIN, call, type BenchDatabase } from './stack.js';

/** Shop data the write scenarios need: customers with tokens, an admin, stocked SKUs. */

function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

export async function sql<T extends pg.QueryResultRow>(
  db: BenchDatabase,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: db.primaryUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** Customers inserted directly (hashing 400 passwords would measure argon2), with minted tokens. */
export async function customers(db: BenchDatabase, count: number): Promise<string[]> {
  const rows = await sql<{ id: string }>(
    db,
    `INSERT INTO identity.accounts (email, password_hash, role)
     SELECT 'bench-' || g || '-' || md5(random()::text) || '@bench.local', 'not-a-hash', 'customer'
       FROM generate_series(1, $1) g RETURNING id`,
    [count],
  );
  const exp = Math.floor(Date.now() / 1000) + 3_600;
  return rows.map((r) =>
    signHs256({ sub: r.id, role: 'customer', typ: 'access', exp }, ACCESS_SECRET),
  );
}

/** The bootstrapped admin's access token (ADMIN_EMAIL / ADMIN_PASSWORD of appEnv). */
export async function adminToken(api: string): Promise<string> {
  const body = await call<{ accessToken: string }>(`${api}/api/v1/auth/login`, {
    method: 'POST',
    body: ADMIN,
  });
  return body.accessToken;
}

/** Creates a product with `skus.length` variants and sets their stock. */
export async function stockedProduct(
  api: string,
  admin: string,
  skus: string[],
  onHand: number,
  hot: boolean,
): Promise<void> {
  await call(`${api}/api/v1/admin/products`, {
    method: 'POST',
    token: admin,
    body: {
      name: `Bench ${skus[0]}`,
      priceMinor: 1999,
      currency: 'EUR',
      status: 'active',
      variants: skus.map((sku) => ({ sku, priceMinor: 1999, options: { n: sku } })),
    },
  });
  for (const sku of skus) {
    await call(`${api}/api/v1/admin/inventory/${encodeURIComponent(sku)}`, {
      method: 'PUT',
      token: admin,
      body: { onHand, hot },
    });
  }
}

/** A buy-now checkout request of one unit of `sku` with a fresh Idempotency-Key each time. */
export function checkoutRequest(token: string, sku: string) {
  return {
    method: 'POST',
    path: '/api/v1/checkout',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': '[<id>]',
    },
    body: JSON.stringify({ paymentMethod: 'pm_card_visa', items: [{ sku, quantity: 1 }] }),
  };
}
