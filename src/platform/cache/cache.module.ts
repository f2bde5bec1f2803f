import { CacheModule as NestCacheModule } from '@nestjs/cache-manager';
import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { KeyvAdapter } from 'cache-manager';
import { redisInsStore } from 'cache-manager-redis-yet';
import Keyv from 'keyv';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { createCacheRedisClient, type CacheRedisClient } from './cache-redis.client.js';
import { CacheTagIndex } from './cache-tag-index.js';
import { LocalCacheFront } from './local-cache.front.js';
import { CACHE_REDIS } from './cache.tokens.js';
import { ResponseCacheInterceptor } from './response-cache.interceptor.js';

@Module({
  providers: [
    {
      provide: CACHE_REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createCacheRedisClient(config.cache.redisUrl),
    },
  ],
  exports: [CACHE_REDIS],
})
class CacheRedisModule implements OnApplicationShutdown {
  constructor(@Inject(CACHE_REDIS) private readonly redis: CacheRedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    // The store's disconnect() does nothing: close the client ourselves. While reconnecting,
    // quit() would queue QUIT on a socket that never comes, so just drop the connection then.
    if (!this.redis.isOpen) return;
    if (this.redis.isReady) await this.redis.quit().catch(() => this.redis.disconnect());
    else await this.redis.disconnect().catch(() => undefined);
  }
}

/**
 * Response cache in Redis through @nestjs/cache-manager with the card's cache-manager-redis-yet
 * store. The store is given a client we built (redisInsStore) instead of building its own
 * (redisStore), because redisStore cannot boot while Redis is down and queues commands while it is.
 * Its clear() would FLUSHDB the whole database: nothing here calls it; invalidation is by tag.
 */
@Global()
@Module({
  imports: [
    CacheRedisModule,
    NestCacheModule.registerAsync({
      imports: [CacheRedisModule],
      inject: [CACHE_REDIS, APP_CONFIG],
      useFactory: (redis: CacheRedisClient, config: AppConfig) => {
        const store = redisInsStore(redis as never, { ttl: config.cache.ttlMs });
        return { stores: [new Keyv({ store: new KeyvAdapter(store), useKeyPrefix: false })] };
      },
    }),
  ],
  providers: [CacheTagIndex, ResponseCacheInterceptor, LocalCacheFront],
  exports: [
    CacheTagIndex,
    ResponseCacheInterceptor,
    LocalCacheFront,
    CacheRedisModule,
    NestCacheModule,
  ],
})
export class CacheModule {}
