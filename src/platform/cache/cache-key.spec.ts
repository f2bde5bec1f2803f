import { etagOf, jitteredTtl, responseCacheKey } from './cache-key.js';

describe('response cache keys', () => {
  it('covers route and query, independent of parameter order', () => {
    const a = responseCacheKey('p', 'GET', '/api/v1/products?limit=5&cursor=x');
    const b = responseCacheKey('p', 'GET', '/api/v1/products?cursor=x&limit=5');
    expect(a).toBe(b);
    expect(a).not.toBe(responseCacheKey('p', 'GET', '/api/v1/products?limit=6&cursor=x'));
    expect(a).not.toBe(responseCacheKey('p', 'GET', '/api/v1/categories?limit=5&cursor=x'));
  });

  it('hashes very long keys', () => {
    const key = responseCacheKey('p', 'GET', `/x?q=${'a'.repeat(1_000)}`);
    expect(key.length).toBeLessThan(80);
    expect(key).not.toBe(responseCacheKey('p', 'GET', `/x?q=${'a'.repeat(999)}`));
  });

  it('makes ETags from the bytes', () => {
    expect(etagOf('{"a":1}')).toBe(etagOf('{"a":1}'));
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
  });

  it('spreads TTLs within the jitter', () => {
    expect(jitteredTtl(1_000, 0.1, () => 0)).toBe(900);
    expect(jitteredTtl(1_000, 0.1, () => 1)).toBe(1_100);
    expect(jitteredTtl(1_000, 0, () => 0.3)).toBe(1_000);
  });
});
