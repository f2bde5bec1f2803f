/**
 * Where the e2e tests find the real services. Defaults match scripts/services.sh; CI and
 * developers can point elsewhere with the same variables.
 */
export const TEST_DB = process.env.SCALESHOP_TEST_DB ?? 'scaleshop_test';
export const PRIMARY_PORT = Number(process.env.PG_PORT ?? 5432);
export const REPLICA_PORT = Number(process.env.REPLICA_PORT ?? 5433);
export const PRIMARY_URL = `postgres://postgres@127.0.0.1:${PRIMARY_PORT}/${TEST_DB}`;
export const REPLICA_URL = `postgres://postgres@127.0.0.1:${REPLICA_PORT}/${TEST_DB}`;
export const QUEUE_REDIS_URL = process.env.TEST_QUEUE_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
export const ADMIN = { email: 'admin@scaleshop.test', password: 'admin-password-for-tests' };

/** Signs the built-in test provider's webhooks in tests; tests sign their own with it too. */
export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdefghij';

/** Environment of an app process started by a test; `overrides` win. */
export function appEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATABASE_PRIMARY_URL: PRIMARY_URL,
    DATABASE_REPLICA_URLS: REPLICA_URL,
    REPLICA_HEALTH_INTERVAL_MS: '200',
    QUEUE_REDIS_URL,
    // Each process group gets its own queue namespace so runs never see each other's jobs.
    QUEUE_PREFIX: `t${process.pid}`,
    CACHE_REDIS_URL: QUEUE_REDIS_URL.replace(/\/\d+$/, '/1'),
    // The cache Redis is shared: namespace this run's entries like its queues.
    CACHE_KEY_PREFIX: `t${process.pid}:cache`,
    JWT_ACCESS_SECRET: 'test-access-secret-0123456789abcdefghij',
    JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdefghij',
    PAYMENTS_WEBHOOK_SECRETS: WEBHOOK_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SHUTDOWN_DRAIN_MS: '300',
    OUTBOX_POLL_MS: '50',
    ...overrides,
  };
}
