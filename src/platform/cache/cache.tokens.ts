/** Injection token of the node-redis client behind the response cache. */
export const CACHE_REDIS = Symbol('CACHE_REDIS');
