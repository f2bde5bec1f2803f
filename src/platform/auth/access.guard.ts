import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../errors/common-errors.js';
import { ACCESS_METADATA, type AccessLevel } from './access.decorator.js';
import { assertAccess, verifyAccessToken } from './access-token.js';
import type { Principal } from './principal.js';

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
      request.principal = await verifyAccessToken(this.jwt, request.headers.authorization);
    }
    if (level === undefined) throw new ForbiddenError('Route has no access policy');
    assertAccess(level, request?.principal);
    return true;
  }
}

export function requestOf(context: ExecutionContext): AuthenticatedRequest | undefined {
  if (context.getType<string>() === 'graphql') {
    return GqlExecutionContext.create(context).getContext<{ req?: AuthenticatedRequest }>().req;
  }
  return context.switchToHttp().getRequest<AuthenticatedRequest>();
}
