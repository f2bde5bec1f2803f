import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { UnauthenticatedError } from '../errors/common-errors.js';
import { requestOf } from './access.guard.js';
import type { Principal } from './principal.js';

/** The verified caller of a customer or admin route. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => {
    const principal = requestOf(context)?.principal;
    if (!principal) throw new UnauthenticatedError();
    return principal;
  },
);
