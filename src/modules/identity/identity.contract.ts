/**
 * Public surface of the identity context. Other contexts import this file only.
 */

/** Roles an account can hold. */
export type IdentityRole = 'customer' | 'admin';

/** An account as other contexts may see it: never the password hash. */
export interface AccountView {
  id: string;
  email: string;
  role: IdentityRole;
  createdAt: string;
}

/** Synchronous questions other contexts may ask identity. */
export interface IdentityPort {
  /** The account, or null when there is none with that id. */
  findAccount(accountId: string): Promise<AccountView | null>;
}

/** Injection token of IdentityPort. */
export const IDENTITY_PORT = Symbol('IDENTITY_PORT');

/** Emitted when someone registers. */
export interface AccountRegisteredV1 {
  accountId: string;
  email: string;
  role: IdentityRole;
}

/** Integration event types identity publishes. */
export const IDENTITY_EVENTS = {
  accountRegistered: 'identity.account.registered',
} as const;

/** Event types identity consumes (none yet). */
export const IDENTITY_SUBSCRIPTIONS: readonly string[] = [];
