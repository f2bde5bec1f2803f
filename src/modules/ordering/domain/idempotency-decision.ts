/** What the store holds for a caller's key. */
export interface StoredIdempotencyKey {
  requestHash: string;
  status: 'in_progress' | 'completed';
  responseStatus: number | null;
  responseBody: unknown;
  expiresAt: Date;
}

/** What to do with a request whose key was already claimed. */
export type IdempotencyDecision =
  | { action: 'replay'; status: number; body: unknown }
  | { action: 'reject_reused' }
  | { action: 'reject_in_progress' }
  /** The stored key has expired (not yet swept): remove it and claim afresh. */
  | { action: 'reclaim' };

export function decideOnExistingKey(
  stored: StoredIdempotencyKey,
  hash: string,
  now: Date,
): IdempotencyDecision {
  if (stored.expiresAt.getTime() <= now.getTime()) return { action: 'reclaim' };
  if (stored.requestHash !== hash) return { action: 'reject_reused' };
  if (stored.status === 'in_progress' || stored.responseStatus === null) {
    return { action: 'reject_in_progress' };
  }
  return { action: 'replay', status: stored.responseStatus, body: stored.responseBody };
}
