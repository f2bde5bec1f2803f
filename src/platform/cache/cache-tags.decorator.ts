import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Tags of a cached response, from the request and the response body. */
export type CacheTagsFn = (request: FastifyRequest, body: unknown) => string[];

export const CACHE_TAGS_METADATA = 'scaleshop:cache-tags';

/**
 * Caches this public GET in Redis under route + query, tagged so that writes can invalidate it.
 * Only for routes whose answer is the same for every caller.
 */
export const CachedResponse = (tags: CacheTagsFn) => SetMetadata(CACHE_TAGS_METADATA, tags);
