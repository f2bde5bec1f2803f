import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import type pg from 'pg';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CACHE_REDIS } from '../cache/cache.tokens.js';
import type { CacheRedisClient } from '../cache/cache-redis.client.js';
import { READ_ROUTER } from '../database/database.tokens.js';
import type { ReadRouter } from '../database/read-router.js';

const EVICTING = /^(allkeys|volatile)-/;

/**
 * Readiness checks. Only the primary and the queue Redis are required: without replicas reads
 * fall back to the primary (degraded), and without the cache Redis the cache is bypassed.
 */
@Injectable()
export class DependencyHealthIndicator {
  private readonly queueRedis: Redis;

  constructor(
    private readonly health: HealthIndicatorService,
    private readonly dataSource: DataSource,
    @Inject(READ_ROUTER) private readonly router: ReadRouter,
    @Inject(CACHE_REDIS) private readonly cacheRedis: CacheRedisClient,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.queueRedis = new Redis(config.queue.redisUrl, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1_000,
    });
    this.queueRedis.on('error', () => undefined);
  }

  async primary(): Promise<HealthIndicatorResult> {
    const check = this.health.check('primary');
    try {
      const pool = (this.dataSource.driver as PostgresDriver).master as pg.Pool;
      await pool.query('SELECT 1');
      return check.up();
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  replicas(): HealthIndicatorResult {
    const check = this.health.check('replicas');
    const replicas = this.router.replicas.map((r) => ({
      name: r.name,
      healthy: r.healthy,
      lagSeconds: Number.isFinite(r.lagSeconds) ? r.lagSeconds : null,
      error: r.healthy ? undefined : r.lastError,
    }));
    const healthy = replicas.filter((r) => r.healthy).length;
    // Degraded is still ready: reads go to the primary.
    return check.up({ mode: healthy === replicas.length ? 'ok' : 'degraded', replicas });
  }

  async queueRedisCheck(): Promise<HealthIndicatorResult> {
    const check = this.health.check('queueRedis');
    try {
      if (this.queueRedis.status === 'wait' || this.queueRedis.status === 'end')
        await this.queueRedis.connect();
      const config = (await this.queueRedis.config('GET', 'maxmemory-policy')) as string[];
      const policy = config[1] ?? 'unknown';
      return check.up({
        policy,
        ...(EVICTING.test(policy)
          ? { warning: `maxmemory-policy ${policy} can evict queue data; use noeviction` }
          : {}),
      });
    } catch (err) {
      return check.down({ message: (err as Error).message });
    }
  }

  cacheRedisCheck(): HealthIndicatorResult {
    // Never fails readiness: without it the cache is bypassed.
    return this.health
      .check('cacheRedis')
      .up({ mode: this.cacheRedis.isReady ? 'ok' : 'bypassed' });
  }

  async close(): Promise<void> {
    this.queueRedis.disconnect();
  }
}
