import { createHmac, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { appEnv } from './test-env.js';

/** A customer created for a test, with an access token the app accepts. */
export interface TestCustomer {
  id: string;
  email: string;
  token: string;
}

/** An HS256 JWT, as the app signs them (src/platform/auth/principal.ts claims). */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/**
 * `count` customers inserted straight into identity.accounts, with access tokens minted with the
 * test secret. Registering thousands through the API would spend the test's time in argon2; the
 * accounts are real rows, so every context that looks a customer up finds them.
 */
export async function insertCustomers(
  db: pg.Pool,
  count: number,
  tag = Date.now().toString(36),
  secret = appEnv().JWT_ACCESS_SECRET,
): Promise<TestCustomer[]> {
  const { rows } = await db.query<{ id: string; email: string }>(
    `INSERT INTO identity.accounts (email, password_hash, role)
     SELECT 'c' || g || '-' || $2 || '@example.com', 'not-a-password-hash', 'customer'
       FROM generate_series(1, $1) g
     RETURNING id, email`,
    [count, tag],
  );
  const exp = Math.floor(Date.now() / 1000) + 3_600;
  return rows.map((r) => ({
    ...r,
    token: signHs256({ sub: r.id, role: 'customer', typ: 'access', exp }, secret),
  }));
}

/** One customer, inserted and signed like `insertCustomers` (for an app with its own secret). */
export async function mintCustomer(db: pg.Pool, secret: string): Promise<TestCustomer> {
  const [customer] = await insertCustomers(db, 1, randomUUID(), secret);
  return customer;
}
