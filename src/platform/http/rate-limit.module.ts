import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerModule, getStorageToken } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

type Req = { ip?: string; body?: unknown };

/** The account a request is about: its email for login/register, else nothing. */
function accountOf(req: Req): string | undefined {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : undefined;
}

/**
 * Limits for the auth routes, per client address and per account, counted in Redis so that every
 * API instance shares them. Routes opt in with @UseGuards(ThrottlerGuard).
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        throttlers: [
          {
            name: 'address',
            ttl: config.auth.rateWindowMs,
            limit: config.auth.rateLimit * 3,
            getTracker: (req: Req) => req.ip ?? 'unknown',
          },
          {
            name: 'account',
            ttl: config.auth.rateWindowMs,
            limit: config.auth.rateLimit,
            getTracker: (req: Req) => accountOf(req) ?? `ip:${req.ip ?? 'unknown'}`,
          },
        ],
        storage: new RedisThrottlerStorage(config.queue.redisUrl, config.queue.prefix),
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule implements OnApplicationShutdown {
  constructor(@Inject(getStorageToken()) private readonly storage: RedisThrottlerStorage) {}

  onApplicationShutdown(): void {
    this.storage.close();
  }
}
