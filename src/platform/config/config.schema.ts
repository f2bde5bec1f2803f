import { z } from 'zod';

/** Bounded contexts this codebase knows; MODULES selects a subset per process. */
export const KNOWN_MODULES = [
  'identity',
  'catalog',
  'inventory',
  'ordering',
  'payments',
  'notifications',
] as const;
export type ModuleName = (typeof KNOWN_MODULES)[number];

export const REPLICA_STRATEGIES = ['round-robin', 'least-outstanding', 'latency-weighted'] as const;
export type ReplicaStrategyName = (typeof REPLICA_STRATEGIES)[number];

const postgresUrl = z
  .string()
  .url()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// URL');
const redisUrl = z
  .string()
  .url()
  .refine((v) => /^rediss?:\/\//.test(v), 'must be a redis:// URL');
const secret = z.string().min(32, 'must be at least 32 characters');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * Every environment variable the process reads. Parsed once at start; a bad start reports every
 * bad variable at once (see loadConfig).
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  MODULES: csv
    .pipe(z.array(z.enum(KNOWN_MODULES)))
    .default([...KNOWN_MODULES])
    .refine((m) => m.length > 0, 'must name at least one module'),
  HOST: z.string().default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  DATABASE_PRIMARY_URL: postgresUrl,
  DATABASE_REPLICA_URLS: csv.pipe(z.array(postgresUrl)).default([]),
  DB_POOL_SIZE: int(1, 200).default(10),
  DB_CONNECT_TIMEOUT_MS: int(100, 60_000).default(2_000),
  REPLICA_STRATEGY: z.enum(REPLICA_STRATEGIES).default('round-robin'),
  REPLICA_MAX_LAG_MS: int(0, 3_600_000).default(5_000),
  REPLICA_HEALTH_INTERVAL_MS: int(100, 60_000).default(1_000),

  QUEUE_REDIS_URL: redisUrl,
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]+$/i)
    .default('scaleshop'),
  QUEUE_LOCK_MS: int(1_000, 600_000).default(30_000),
  QUEUE_JOB_ATTEMPTS: int(1, 100).default(8),
  QUEUE_BACKOFF_MS: int(10, 600_000).default(500),
  OUTBOX_POLL_MS: int(10, 60_000).default(200),

  CACHE_REDIS_URL: redisUrl,
  CACHE_ENABLED: bool.default(true),
  CACHE_TTL_MS: int(100, 86_400_000).default(30_000),
  CACHE_TTL_JITTER: z.coerce.number().min(0).max(0.5).default(0.1),
  CACHE_KEY_PREFIX: z.string().default('scaleshop:cache'),

  JWT_ACCESS_SECRET: secret,
  JWT_REFRESH_SECRET: secret,
  JWT_ACCESS_TTL_S: int(30, 86_400).default(900),
  JWT_REFRESH_TTL_S: int(60, 90 * 86_400).default(30 * 86_400),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(12).max(256).optional(),
  CURSOR_SECRET: secret.optional(),

  BODY_LIMIT_BYTES: int(1_024, 50 * 1024 * 1024).default(1_048_576),
  AUTH_RATE_LIMIT: int(1, 100_000).default(10),
  AUTH_RATE_WINDOW_MS: int(1_000, 3_600_000).default(60_000),
  GRAPHQL_MAX_DEPTH: int(1, 50).default(8),
  // A 100-product page with variants and category paths costs about 3,200.
  GRAPHQL_MAX_COMPLEXITY: int(1, 1_000_000).default(4_000),
  SHUTDOWN_DRAIN_MS: int(0, 120_000).default(2_000),

  // inventory
  RESERVATION_TTL_MS: int(1_000, 7 * 86_400_000).default(900_000),
  RESERVATION_SWEEP_MS: int(100, 3_600_000).default(5_000),
  HOT_SKU_RECONCILE_MS: int(100, 3_600_000).default(10_000),
  // ordering
  IDEMPOTENCY_TTL_S: int(60, 7 * 86_400).default(86_400),
  ORDER_PARTITIONS_AHEAD: int(1, 36).default(3),
  // payments
  PAYMENTS_PROVIDER: z.enum(['test']).default('test'),
  /** Comma-separated; the first signs, any verifies (rotation). */
  PAYMENTS_WEBHOOK_SECRETS: csv
    .pipe(z.array(secret))
    .refine((s) => s.length > 0, 'must name at least one secret'),
  PAYMENTS_WEBHOOK_TOLERANCE_S: int(1, 3_600).default(300),
  /** Where the built-in test provider delivers its webhooks; default: this process's own address. */
  PAYMENTS_TEST_WEBHOOK_URL: z.string().url().optional(),
  PAYMENTS_TEST_CONFIRM_DELAY_MS: int(0, 600_000).default(100),
  // notifications
  /** smtp(s)://user:pass@host:port; unset: messages are rendered and recorded, not delivered. */
  SMTP_URL: z
    .string()
    .url()
    .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// URL')
    .optional(),
  MAIL_FROM: z.string().default('Scaleshop <shop@scaleshop.local>'),
  NOTIFY_ATTEMPTS: int(1, 100).default(5),
  NOTIFY_BACKOFF_MS: int(10, 600_000).default(1_000),
});

export type Env = z.infer<typeof envSchema>;
