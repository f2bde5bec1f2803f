/** Roles an access token can carry. */
export type Role = 'customer' | 'admin';

/** The authenticated caller, as read from a verified access token. */
export interface Principal {
  accountId: string;
  role: Role;
}

/** Claims inside an access token. */
export interface AccessTokenClaims {
  sub: string;
  role: Role;
  typ: 'access';
}
