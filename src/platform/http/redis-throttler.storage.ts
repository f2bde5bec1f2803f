import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { Redis } from 'ioredis';

/** Fixed window counter: one round trip, atomic across API instances. */
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * Rate-limit counters in Redis (the queue Redis: counters must not be evicted), shared by every
 * API instance. If Redis cannot be reached the limit fails open: a rate limiter must not take
 * login down with it.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
    });
    this.redis.on('error', () => undefined);
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, pttl] = (await this.redis.eval(
        INCREMENT,
        1,
        `${this.prefix}:rl:${key}`,
        ttl,
      )) as [number, number];
      const seconds = Math.max(1, Math.ceil(pttl / 1000));
      const blocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire: seconds,
        isBlocked: blocked,
        timeToBlockExpire: blocked ? seconds : 0,
      };
    } catch (err) {
      this.logger.warn(`rate limit store unavailable, allowing: ${(err as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  close(): void {
    this.redis.disconnect();
  }
}
