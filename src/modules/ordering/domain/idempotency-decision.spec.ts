import { decideOnExistingKey, type StoredIdempotencyKey } from './idempotency-decision.js';

const now = new Date('2026-11-27T04:00:00Z');
const later = new Date(now.getTime() + 60_000);
const key = (over: Partial<StoredIdempotencyKey> = {}): StoredIdempotencyKey => ({
  requestHash: 'h1',
  status: 'completed',
  responseStatus: 201,
  responseBody: { id: 'o1' },
  expiresAt: later,
  ...over,
});

describe('idempotency decision on an existing key', () => {
  it('replays the stored response for the same body once completed', () => {
    expect(decideOnExistingKey(key(), 'h1', now)).toEqual({
      action: 'replay',
      status: 201,
      body: { id: 'o1' },
    });
    expect(
      decideOnExistingKey(
        key({ responseStatus: 409, responseBody: { code: 'ordering.sold_out' } }),
        'h1',
        now,
      ),
    ).toEqual({
      action: 'replay',
      status: 409,
      body: { code: 'ordering.sold_out' },
    });
  });

  it('refuses another body with the same key, finished or not', () => {
    expect(decideOnExistingKey(key(), 'h2', now).action).toBe('reject_reused');
    expect(
      decideOnExistingKey(key({ status: 'in_progress', responseStatus: null }), 'h2', now).action,
    ).toBe('reject_reused');
  });

  it('answers "in progress" while the first request runs', () => {
    expect(
      decideOnExistingKey(key({ status: 'in_progress', responseStatus: null }), 'h1', now).action,
    ).toBe('reject_in_progress');
  });

  it('lets an expired key be claimed afresh, whatever it held', () => {
    expect(decideOnExistingKey(key({ expiresAt: now }), 'h2', now).action).toBe('reclaim');
    expect(
      decideOnExistingKey(key({ expiresAt: new Date(now.getTime() - 1) }), 'h1', now).action,
    ).toBe('reclaim');
  });
});
