import { createHash } from 'node:crypto';

/**
 * The key of a cached response: method, path and the query with its parameters sorted, so that
 * `?a=1&b=2` and `?b=2&a=1` share an entry. Long keys are hashed to keep Redis keys small.
 */
export function responseCacheKey(prefix: string, method: string, url: string): string {
  const [path, query = ''] = url.split('?', 2);
  const params = new URLSearchParams(query);
  const sorted = [...params.entries()].sort(([a, av], [b, bv]) =>
    a === b ? av.localeCompare(bv) : a.localeCompare(b),
  );
  const normalized = `${method} ${path}?${new URLSearchParams(sorted).toString()}`;
  const suffix =
    normalized.length > 200
      ? `h:${createHash('sha256').update(normalized).digest('base64url')}`
      : normalized;
  return `${prefix}:r:${suffix}`;
}

/** A strong ETag over the exact bytes sent. */
export function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** TTL with jitter in [1 - jitter, 1 + jitter] so entries written together do not expire together. */
export function jitteredTtl(
  ttlMs: number,
  jitter: number,
  random: () => number = Math.random,
): number {
  return Math.max(1, Math.round(ttlMs * (1 + (random() * 2 - 1) * jitter)));
}
