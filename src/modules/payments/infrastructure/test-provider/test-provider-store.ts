import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/app-config.js';
import type { TestProviderIntent } from './test-provider-events.js';

// An intent the provider forgot after a week is as good as gone (tests leave no garbage for ever).
const TTL_S = 7 * 24 * 3600;

/**
 * The test provider's own records, kept in the queue Redis (never evicted) under its own keys,
 * apart from payments' tables: it plays an external system that payments reaches only through
 * the provider port and webhooks.
 */
@Injectable()
export class TestProviderStore implements OnApplicationShutdown {
  private redis?: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Stores `candidate` under the idempotency key unless an intent is there; returns the kept one. */
  async createOnce(
    idempotencyKey: string,
    candidate: TestProviderIntent,
  ): Promise<TestProviderIntent> {
    const key = this.key(idempotencyKey);
    const created = await this.client().set(key, JSON.stringify(candidate), 'EX', TTL_S, 'NX');
    if (created === 'OK') return candidate;
    const existing = await this.get(idempotencyKey);
    if (!existing) throw new Error(`test provider intent ${idempotencyKey} vanished`);
    return existing;
  }

  async get(idempotencyKey: string): Promise<TestProviderIntent | null> {
    const raw = await this.client().get(this.key(idempotencyKey));
    return raw ? (JSON.parse(raw) as TestProviderIntent) : null;
  }

  async save(idempotencyKey: string, intent: TestProviderIntent): Promise<void> {
    await this.client().set(this.key(idempotencyKey), JSON.stringify(intent), 'EX', TTL_S);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => undefined);
  }

  private key(idempotencyKey: string): string {
    return `${this.config.queue.prefix}:payments:testprovider:intent:${idempotencyKey}`;
  }

  private client(): Redis {
    // Created on first use: API processes never call the provider.
    this.redis ??= new Redis(this.config.queue.redisUrl, { maxRetriesPerRequest: 3 });
    return this.redis;
  }
}
