import { createHmac, randomUUID } from 'node:crypto';
import type pg from 'pg';

/** An HS256 JWT as the app signs its access tokens (see src/platform/auth/principal.ts). */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/**
 * A customer without going through registration (argon2 would make dozens of them slow): an
 * account row inserted directly and an access token minted with the test secret.
 */
export async function mintCustomer(
  db: pg.Pool,
  accessSecret: string,
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO identity.accounts (id, email, password_hash, role)
     VALUES ($1, $2, 'not-a-hash', 'customer')`,
    [id, `minted-${id}@example.com`],
  );
  const now = Math.floor(Date.now() / 1000);
  const token = signHs256(
    { sub: id, role: 'customer', typ: 'access', iat: now, exp: now + 3600 },
    accessSecret,
  );
  return { id, token };
}
