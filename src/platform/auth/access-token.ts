import type { JwtService } from '@nestjs/jwt';
import { ForbiddenError, UnauthenticatedError } from '../errors/common-errors.js';
import type { AccessLevel } from './access.decorator.js';
import type { AccessTokenClaims, Principal } from './principal.js';

/**
 * Reads an `Authorization: Bearer <access JWT>` header: the principal for a valid access token,
 * undefined for no header; a malformed, invalid, expired or non-access token is an error. Shared by
 * the Nest guard and by Fastify-level routes (the queue dashboard), where Nest guards do not run.
 */
export async function verifyAccessToken(
  jwt: JwtService,
  header: string | undefined,
): Promise<Principal | undefined> {
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
  if (!match) throw new UnauthenticatedError('Malformed Authorization header');
  try {
    const claims = await jwt.verifyAsync<AccessTokenClaims>(match[1], { algorithms: ['HS256'] });
    if (claims.typ !== 'access' || (claims.role !== 'admin' && claims.role !== 'customer')) {
      throw new UnauthenticatedError('Not an access token');
    }
    return { accountId: claims.sub, role: claims.role };
  } catch {
    throw new UnauthenticatedError('Invalid or expired access token');
  }
}

/** Throws unless `principal` may use a route of `level` (401 without one, 403 for a wrong role). */
export function assertAccess(level: AccessLevel, principal: Principal | undefined): void {
  if (level === 'public') return;
  if (!principal) throw new UnauthenticatedError();
  if (level === 'admin' && principal.role !== 'admin') throw new ForbiddenError();
}
