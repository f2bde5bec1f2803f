import { CacheInterceptor } from '@nestjs/cache-manager';
import { Inject, Injectable, type CallHandler, type ExecutionContext } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Cache } from 'cache-manager';
import type { Counter } from 'prom-client';
import { from, lastValueFrom, map, type Observable } from 'rxjs';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { currentContext } from '../context/request-context.js';
import { READ_ROUTER } from '../database/database.tokens.js';
import type { ReadRouter } from '../database/read-router.js';
import { RawJson } from '../http/raw-json.js';
import { METRIC } from '../observability/metric-names.js';
import { CACHE_TAGS_METADATA, type CacheTagsFn } from './cache-tags.decorator.js';
import { etagOf, jitteredTtl, responseCacheKey } from './cache-key.js';
import { CacheTagIndex } from './cache-tag-index.js';
import { LocalCacheFront } from './local-cache.front.js';
import type { CachedEntry } from './local-response-cache.js';

/** What is stored per key: the bytes sent, their ETag and tags, so a hit re-serialises nothing. */
interface StoredEntry extends CachedEntry {
  tags?: string[];
}

/**
 * Response cache for public GETs, built on @nestjs/cache-manager's CacheInterceptor (its Redis
 * store holds the entries). On top of it: keys over route + sorted query, tags for invalidation,
 * TTL jitter, single flight for concurrent misses, ETag (the 304 is answered by the
 * conditional-GET hook), and a counted bypass while Redis is unusable.
 */
@Injectable()
export class ResponseCacheInterceptor extends CacheInterceptor {
  private readonly inFlight = new Map<string, Promise<CachedEntry>>();

  @Inject(APP_CONFIG) private readonly config!: AppConfig;
  @Inject(CacheTagIndex) private readonly tags!: CacheTagIndex;
  @Inject(LocalCacheFront) private readonly local!: LocalCacheFront;
  @Inject(READ_ROUTER) private readonly router!: ReadRouter;
  @InjectMetric(METRIC.cacheRequests) private readonly lookups!: Counter<string>;

  override async intercept(
    context: ExecutionContext,
    next: CallHandler,
  ): Promise<Observable<unknown>> {
    const tagsOf = this.reflector.get<CacheTagsFn | undefined>(
      CACHE_TAGS_METADATA,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (!tagsOf || context.getType() !== 'http' || request.method !== 'GET') return next.handle();

    const key = this.trackBy(context);
    if (!this.config.cache.enabled || !key)
      return next.handle().pipe(map((body) => this.send(reply, serialize(body), 'OFF')));
    if (!this.tags.available) {
      this.lookups.inc({ result: 'bypass' });
      return next.handle().pipe(map((body) => this.send(reply, serialize(body), 'BYPASS')));
    }

    // Taken before reading Redis: an invalidation heard after this may have raced the read.
    const generation = this.local.generation;
    let cached: StoredEntry | undefined;
    try {
      cached = await this.store.get<StoredEntry>(key);
    } catch {
      this.lookups.inc({ result: 'bypass' });
      return next.handle().pipe(map((body) => this.send(reply, serialize(body), 'BYPASS')));
    }
    // cache-manager swallows store errors and answers undefined: tell a miss from an outage.
    if (cached === undefined && !this.tags.available) {
      this.lookups.inc({ result: 'bypass' });
      return next.handle().pipe(map((body) => this.send(reply, serialize(body), 'BYPASS')));
    }
    if (cached) {
      this.lookups.inc({ result: 'hit' });
      if (cached.tags) {
        const ttl = await this.store.ttl(key).catch(() => undefined);
        if (ttl) this.local.remember(key, cached, cached.tags, ttl - Date.now(), generation);
      }
      return from([this.send(reply, cached, 'HIT')]);
    }
    this.lookups.inc({ result: 'miss' });

    // Single flight: concurrent misses on one key wait for the first computation.
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fill(key, request, next, tagsOf).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return from(pending.then((entry) => this.send(reply, entry, 'MISS')));
  }

  /** The cache-manager instance of @nestjs/cache-manager, typed (the base class types it `any`). */
  private get store(): Cache {
    return this.cacheManager as Cache;
  }

  /** The key covers method, route and the full query string; nothing else varies public GETs. */
  protected override trackBy(context: ExecutionContext): string | undefined {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return responseCacheKey(this.config.cache.keyPrefix, request.method, request.url);
  }

  private async fill(
    key: string,
    request: FastifyRequest,
    next: CallHandler,
    tagsOf: CacheTagsFn,
  ): Promise<CachedEntry> {
    const startedAt = Date.now();
    const generation = this.local.generation;
    const result: unknown = await lastValueFrom(next.handle());
    const entry = serialize(result);
    const tags = tagsOf(request, result);
    try {
      // A write that invalidated these tags while we computed makes this answer stale: skip it.
      const since = startedAt - this.replicaStalenessMs();
      if (!(await this.tags.invalidatedSince(tags, since))) {
        const ttl = jitteredTtl(this.config.cache.ttlMs, this.config.cache.ttlJitter);
        await this.store.set<StoredEntry>(key, { ...entry, tags }, ttl);
        await this.tags.tag(key, tags, ttl);
        // An invalidation may have run between the check and the tagging, missing this key in
        // its tag set; it stamps before it reads the set, so looking again after tagging sees it.
        if (await this.tags.invalidatedSince(tags, since)) await this.store.del(key);
        else this.local.remember(key, entry, tags, ttl, generation);
      }
    } catch {
      this.lookups.inc({ result: 'bypass' });
    }
    return entry;
  }

  /**
   * How much older than "now" the rows behind this answer may be. Rows read from a replica can
   * predate an invalidation by the replica's lag (plus one probe interval, as lag is sampled), so
   * an invalidation that recent makes the answer unsafe to keep; primary reads are current.
   */
  private replicaStalenessMs(): number {
    if ((currentContext()?.queries.replica ?? 0) === 0) return 0;
    const lags = this.router
      .healthyReplicas()
      .map((r) => (Number.isFinite(r.lagSeconds) ? r.lagSeconds * 1000 : 0));
    return Math.max(0, ...lags) + this.config.database.healthIntervalMs;
  }

  private send(reply: FastifyReply, entry: CachedEntry, state: string): string {
    this.local.learnSecurityHeaders(reply);
    reply.header('content-type', 'application/json; charset=utf-8');
    reply.header('etag', entry.etag);
    reply.header('cache-control', 'public, max-age=0, must-revalidate');
    reply.header('x-cache', state);
    return entry.body;
  }
}

function serialize(body: unknown): CachedEntry {
  const text = body instanceof RawJson ? body.text : (JSON.stringify(body) ?? 'null');
  return { etag: etagOf(text), body: text };
}
