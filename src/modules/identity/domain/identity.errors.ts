import { DomainError } from '../../../platform/errors/domain-error.js';

/** Registration with an email that already has an account. */
export class EmailTakenError extends DomainError {
  readonly code = 'identity.email_taken';
  readonly kind = 'conflict';
  constructor() {
    super('An account with this email already exists');
  }
}

/** Wrong email or password; deliberately does not say which. */
export class InvalidCredentialsError extends DomainError {
  readonly code = 'identity.invalid_credentials';
  readonly kind = 'unauthenticated';
  constructor() {
    super('Email or password is wrong');
  }
}

/** A refresh token that is unknown, expired, revoked or already used. */
export class InvalidRefreshTokenError extends DomainError {
  readonly code = 'identity.invalid_refresh_token';
  readonly kind = 'unauthenticated';
  constructor() {
    super('Refresh token is invalid, expired or already used');
  }
}

/** The caller's account no longer exists. */
export class AccountNotFoundError extends DomainError {
  readonly code = 'identity.account_not_found';
  readonly kind = 'not_found';
  constructor() {
    super('Account not found');
  }
}
