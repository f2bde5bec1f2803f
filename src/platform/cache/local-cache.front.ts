import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Counter } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { sanitizeRequestId } from '../context/request-context.js';
import { METRIC } from '../observability/metric-names.js';
import { responseCacheKey } from './cache-key.js';
import type { CacheRedisClient } from './cache-redis.client.js';
import { CACHE_REDIS } from './cache.tokens.js';
import { LocalResponseCache, type CachedEntry } from './local-response-cache.js';

const MAX_ENTRIES = 5_000;
/** Headers @fastify/helmet sets; identical on every response, so captured once and replayed. */
const SECURITY_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];
/** Bounds how long a lost invalidation message can leave a local entry stale. */
const MAX_LOCAL_TTL_MS = 5_000;

/**
 * The in-process layer of the response cache. Cached public GETs are answered from it at the
 * Fastify level, before routing into Nest, and every instance drops entries when any instance
 * invalidates a tag (Redis pub/sub). Without a live subscription it is not used at all.
 */
@Injectable()
export class LocalCacheFront implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('LocalCache');
  readonly cache = new LocalResponseCache(MAX_ENTRIES, MAX_LOCAL_TTL_MS);
  private subscriber?: CacheRedisClient;
  /** The security headers of a real response, set by helmet; until known, no local answers. */
  private securityHeaders?: Record<string, string>;

  constructor(
    @Inject(CACHE_REDIS) private readonly redis: CacheRedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectMetric(METRIC.cacheRequests) private readonly lookups: Counter<string>,
  ) {}

  get channel(): string {
    return `${this.config.cache.keyPrefix}:invalidated`;
  }

  /** Usable only while invalidations from other instances reach this one. */
  get listening(): boolean {
    return this.config.cache.enabled && this.subscriber?.isReady === true;
  }

  onModuleInit(): void {
    if (!this.config.cache.enabled) return;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    subscriber.on('error', () => undefined);
    // Messages may have been missed while disconnected: start over empty.
    subscriber.on('ready', () => this.cache.clear());
    subscriber.on('end', () => this.cache.clear());
    subscriber
      .connect()
      .then(() =>
        subscriber.subscribe(this.channel, (message) => {
          this.cache.dropTags(JSON.parse(message) as string[]);
        }),
      )
      .catch((err: unknown) => this.logger.warn(`no invalidation feed: ${String(err)}`));
  }

  async onApplicationShutdown(): Promise<void> {
    const subscriber = this.subscriber;
    if (!subscriber?.isOpen) return;
    if (subscriber.isReady) await subscriber.quit().catch(() => subscriber.disconnect());
    else await subscriber.disconnect().catch(() => undefined);
  }

  /** Where invalidations stand now; pass it back to `remember` for an entry read after this. */
  get generation(): number {
    return this.cache.generation;
  }

  /**
   * Keeps an entry read from Redis (or computed) since `readAtGeneration`. An invalidation heard
   * in between may have raced that read, so the entry is then not kept.
   */
  remember(
    key: string,
    entry: CachedEntry,
    tags: readonly string[],
    ttlMs: number,
    readAtGeneration: number,
  ): void {
    if (this.listening) this.cache.set(key, entry, tags, ttlMs, readAtGeneration);
  }

  /** Keeps the security headers helmet put on a response, to answer local hits with them. */
  learnSecurityHeaders(reply: FastifyReply): void {
    if (this.securityHeaders) return;
    const headers: Record<string, string> = {};
    for (const name of SECURITY_HEADERS) {
      const value = reply.getHeader(name) ?? reply.raw.getHeader(name);
      if (typeof value === 'string') headers[name] = value;
    }
    if (Object.keys(headers).length > 0) this.securityHeaders = headers;
  }

  /** Answers a GET from the local layer before Nest routing when it holds the response. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'GET' || !this.listening || !this.securityHeaders) {
        done();
        return;
      }
      const entry = this.cache.get(
        responseCacheKey(this.config.cache.keyPrefix, 'GET', request.url),
      );
      if (!entry) {
        done();
        return;
      }
      this.lookups.inc({ result: 'hit' });
      void reply
        .headers(this.securityHeaders)
        .header('x-request-id', sanitizeRequestId(request.headers['x-request-id']))
        .header('content-type', 'application/json; charset=utf-8')
        .header('etag', entry.etag)
        .header('cache-control', 'public, max-age=0, must-revalidate')
        .header('x-cache', 'HIT')
        .send(entry.body);
    });
  }
}
