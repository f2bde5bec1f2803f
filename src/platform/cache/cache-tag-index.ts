import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { METRIC } from '../observability/metric-names.js';
import { CACHE_REDIS } from './cache.tokens.js';
import type { CacheRedisClient } from './cache-redis.client.js';

/**
 * Remembers which cached keys carry which tag (a Redis set per tag) and when each tag was last
 * invalidated, so that a response computed before an invalidation is not stored after it.
 */
@Injectable()
export class CacheTagIndex {
  private readonly logger = new Logger('CacheTags');

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: CacheRedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(METRIC.cacheInvalidations) private readonly invalidations: Counter<string>,
  ) {
    this.redis.on('ready', () => void this.flushPending());
  }

  /** Tags whose invalidation could not reach Redis; replayed as soon as it is back. */
  private readonly pending = new Set<string>();
  private flushing = false;

  /**
   * Usable for lookups: connected, and no invalidation from an outage still owed. Serving hits
   * before those are replayed would return entries that writes during the outage made stale.
   */
  get available(): boolean {
    return this.redis.isReady && !this.flushing && this.pending.size === 0;
  }

  /** Adds `key` to each tag's set; the set lives a little longer than the longest entry. */
  async tag(key: string, tags: readonly string[], ttlMs: number): Promise<void> {
    const multi = this.redis.multi();
    for (const tag of tags) {
      multi.sAdd(this.setKey(tag), key);
      multi.pExpire(this.setKey(tag), Math.ceil(ttlMs * 2));
    }
    await multi.exec();
  }

  /** True when any of the tags was invalidated at or after `since` (ms since epoch). */
  async invalidatedSince(tags: readonly string[], since: number): Promise<boolean> {
    if (tags.length === 0) return false;
    const stamps = await this.redis.mGet(tags.map((t) => this.stampKey(t)));
    return stamps.some((s) => s !== null && Number(s) >= since);
  }

  /**
   * Deletes every key tagged with any of `tags`. Failures are logged, not thrown: the write that
   * asked has already committed, and entries expire by TTL anyway.
   */
  async invalidate(tags: readonly string[]): Promise<void> {
    if (tags.length === 0) return;
    if (!this.redis.isReady) {
      for (const tag of tags) this.pending.add(tag);
      return;
    }
    try {
      const now = Date.now();
      const stampTtl = this.config.cache.ttlMs * 2;
      // Stamp first, then read the tag sets: a filler that tags a key after this read checks the
      // stamps again afterwards and drops its entry itself (ResponseCacheInterceptor.fill).
      const stamps = this.redis.multi();
      for (const tag of tags) stamps.set(this.stampKey(tag), String(now), { PX: stampTtl });
      await stamps.exec();
      const keys = new Set<string>();
      for (const tag of tags) {
        for (const key of await this.redis.sMembers(this.setKey(tag))) keys.add(key);
      }
      const multi = this.redis.multi();
      for (const tag of tags) multi.del(this.setKey(tag));
      if (keys.size) multi.del([...keys]);
      // Every instance drops its local copies of these tags (LocalCacheFront).
      multi.publish(`${this.config.cache.keyPrefix}:invalidated`, JSON.stringify(tags));
      await multi.exec();
      for (const tag of tags) this.invalidations.inc({ tag_kind: tag.split(':')[0] });
    } catch (err) {
      for (const tag of tags) this.pending.add(tag);
      this.logger.warn(`invalidation of ${tags.join(',')} deferred: ${(err as Error).message}`);
    }
  }

  private async flushPending(): Promise<void> {
    if (this.flushing || this.pending.size === 0) return;
    this.flushing = true;
    try {
      const tags = [...this.pending];
      this.pending.clear();
      await this.invalidate(tags);
    } finally {
      this.flushing = false;
    }
  }

  private setKey(tag: string): string {
    return `${this.config.cache.keyPrefix}:tag:${tag}`;
  }
  private stampKey(tag: string): string {
    return `${this.config.cache.keyPrefix}:tagv:${tag}`;
  }
}
