import { LocalResponseCache } from './local-response-cache.js';

const entry = (body: string) => ({ etag: `"${body}"`, body });

describe('LocalResponseCache', () => {
  it('serves what it holds until the TTL, capped by its own maximum', () => {
    let now = 0;
    const cache = new LocalResponseCache(10, 1_000, () => now);
    cache.set('a', entry('A'), ['t'], 60_000);
    expect(cache.get('a')?.body).toBe('A');
    now = 999;
    expect(cache.get('a')?.body).toBe('A');
    now = 1_000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('drops entries by tag', () => {
    const cache = new LocalResponseCache(10, 1_000);
    cache.set('a', entry('A'), ['product:1', 'list'], 1_000);
    cache.set('b', entry('B'), ['product:2'], 1_000);
    cache.dropTags(['product:1']);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.body).toBe('B');
  });

  it('evicts the least recently used entry beyond its size', () => {
    const cache = new LocalResponseCache(2, 1_000);
    cache.set('a', entry('A'), [], 1_000);
    cache.set('b', entry('B'), [], 1_000);
    cache.get('a');
    cache.set('c', entry('C'), [], 1_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.body).toBe('A');
    expect(cache.size).toBe(2);
  });

  it('refuses an entry read before an invalidation it did not see', () => {
    const cache = new LocalResponseCache(10, 1_000);
    const readAt = cache.generation;
    // The invalidation message arrives while the reader waits on Redis for the old entry.
    cache.dropTags(['list']);
    cache.set('a', entry('stale'), ['list'], 1_000, readAt);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', entry('fresh'), ['list'], 1_000, cache.generation);
    expect(cache.get('a')?.body).toBe('fresh');
  });
});
