import { DomainError } from './domain-error.js';

/** The caller has no valid credentials. */
export class UnauthenticatedError extends DomainError {
  readonly code = 'auth.unauthenticated';
  readonly kind = 'unauthenticated';
  constructor(message = 'Authentication required') {
    super(message);
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends DomainError {
  readonly code = 'auth.forbidden';
  readonly kind = 'forbidden';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

/** Input that passed the schema but is still wrong (e.g. a tampered cursor). */
export class InvalidInputError extends DomainError {
  readonly code: string;
  readonly kind = 'invalid';
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message, details);
    this.code = code;
  }
}
