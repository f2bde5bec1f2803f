import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../errors/common-errors.js';
import { ACCESS_METADATA, type AccessLevel } from './access.decorator.js';
import type { AccessTokenClaims, Principal } from './principal.js';

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };

/**
 * Global guard: reads the route's access level and the bearer token. A route without an access
 * level is refused (and AccessAuditor stops the app from starting with one).
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const level = this.reflector.getAllAndOverride<AccessLevel | undefined>(ACCESS_METADATA, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = requestOf(context);
    if (request && request.principal === undefined) {
      request.principal = await this.verify(request.headers.authorization);
    }
    if (level === 'public') return true;
    if (level === undefined) throw new ForbiddenError('Route has no access policy');
    const principal = request?.principal;
    if (!principal) throw new UnauthenticatedError();
    if (level === 'admin' && principal.role !== 'admin') throw new ForbiddenError();
    return true;
  }

  /** Returns the principal for a valid token, undefined for none; a bad token is an error. */
  private async verify(header: string | undefined): Promise<Principal | undefined> {
    if (!header) return undefined;
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match) throw new UnauthenticatedError('Malformed Authorization header');
    try {
      const claims = await this.jwt.verifyAsync<AccessTokenClaims>(match[1], {
        algorithms: ['HS256'],
      });
      if (claims.typ !== 'access' || (claims.role !== 'admin' && claims.role !== 'customer')) {
        throw new UnauthenticatedError('Not an access token');
      }
      return { accountId: claims.sub, role: claims.role };
    } catch {
      throw new UnauthenticatedError('Invalid or expired access token');
    }
  }
}

export function requestOf(context: ExecutionContext): AuthenticatedRequest | undefined {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}
