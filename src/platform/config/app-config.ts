import { envSchema, type Env, type ModuleName } from './config.schema.js';

/** The validated configuration, shaped for the code that reads it. */
export interface AppConfig {
  env: Env['NODE_ENV'];
  role: Env['ROLE'];
  modules: ModuleName[];
  http: { host: string; port: number; bodyLimit: number };
  logLevel: Env['LOG_LEVEL'];
  database: {
    primaryUrl: string;
    replicaUrls: string[];
    poolSize: number;
    connectTimeoutMs: number;
    strategy: Env['REPLICA_STRATEGY'];
    maxLagMs: number;
    healthIntervalMs: number;
  };
  queue: {
    redisUrl: string;
    prefix: string;
    lockMs: number;
    outboxPollMs: number;
    attempts: number;
    backoffMs: number;
  };
  cache: {
    redisUrl: string;
    enabled: boolean;
    ttlMs: number;
    ttlJitter: number;
    keyPrefix: string;
  };
  auth: {
    accessSecret: string;
    refreshSecret: string;
    accessTtlS: number;
    refreshTtlS: number;
    admin?: { email: string; password: string };
    rateLimit: number;
    rateWindowMs: number;
  };
  cursorSecret: string;
  graphql: { maxDepth: number; maxComplexity: number };
  shutdownDrainMs: number;
  inventory: { reservationTtlMs: number; sweepMs: number; hotReconcileMs: number };
  ordering: { idempotencyTtlS: number; partitionsAhead: number };
  payments: {
    provider: Env['PAYMENTS_PROVIDER'];
    /** The first signs (test provider), any verifies. */
    webhookSecrets: string[];
    webhookToleranceS: number;
    /** Unset: the test provider calls this process's own listening address. */
    testWebhookUrl?: string;
    testConfirmDelayMs: number;
  };
  mail: { smtpUrl?: string; from: string; attempts: number; backoffMs: number };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Thrown with every problem in the environment listed, one per line, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  // Empty strings mean "unset" so that `FOO=` in a shell file falls back to the default.
  const raw = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    problems.push('ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither');
  }
  if (e.JWT_ACCESS_SECRET === e.JWT_REFRESH_SECRET) {
    problems.push('JWT_REFRESH_SECRET: must differ from JWT_ACCESS_SECRET');
  }
  if (problems.length) throw new ConfigError(problems);

  return {
    env: e.NODE_ENV,
    role: e.ROLE,
    modules: [...new Set(e.MODULES)],
    http: { host: e.HOST, port: e.PORT, bodyLimit: e.BODY_LIMIT_BYTES },
    logLevel: e.LOG_LEVEL,
    database: {
      primaryUrl: e.DATABASE_PRIMARY_URL,
      replicaUrls: e.DATABASE_REPLICA_URLS,
      poolSize: e.DB_POOL_SIZE,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      strategy: e.REPLICA_STRATEGY,
      maxLagMs: e.REPLICA_MAX_LAG_MS,
      healthIntervalMs: e.REPLICA_HEALTH_INTERVAL_MS,
    },
    queue: {
      redisUrl: e.QUEUE_REDIS_URL,
      prefix: e.QUEUE_PREFIX,
      lockMs: e.QUEUE_LOCK_MS,
      outboxPollMs: e.OUTBOX_POLL_MS,
      attempts: e.QUEUE_JOB_ATTEMPTS,
      backoffMs: e.QUEUE_BACKOFF_MS,
    },
    cache: {
      redisUrl: e.CACHE_REDIS_URL,
      enabled: e.CACHE_ENABLED,
      ttlMs: e.CACHE_TTL_MS,
      ttlJitter: e.CACHE_TTL_JITTER,
      keyPrefix: e.CACHE_KEY_PREFIX,
    },
    auth: {
      accessSecret: e.JWT_ACCESS_SECRET,
      refreshSecret: e.JWT_REFRESH_SECRET,
      accessTtlS: e.JWT_ACCESS_TTL_S,
      refreshTtlS: e.JWT_REFRESH_TTL_S,
      admin:
        e.ADMIN_EMAIL && e.ADMIN_PASSWORD
          ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD }
          : undefined,
      rateLimit: e.AUTH_RATE_LIMIT,
      rateWindowMs: e.AUTH_RATE_WINDOW_MS,
    },
    cursorSecret: e.CURSOR_SECRET ?? e.JWT_ACCESS_SECRET,
    graphql: { maxDepth: e.GRAPHQL_MAX_DEPTH, maxComplexity: e.GRAPHQL_MAX_COMPLEXITY },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_MS,
    inventory: {
      reservationTtlMs: e.RESERVATION_TTL_MS,
      sweepMs: e.RESERVATION_SWEEP_MS,
      hotReconcileMs: e.HOT_SKU_RECONCILE_MS,
    },
    ordering: { idempotencyTtlS: e.IDEMPOTENCY_TTL_S, partitionsAhead: e.ORDER_PARTITIONS_AHEAD },
    payments: {
      provider: e.PAYMENTS_PROVIDER,
      webhookSecrets: e.PAYMENTS_WEBHOOK_SECRETS,
      webhookToleranceS: e.PAYMENTS_WEBHOOK_TOLERANCE_S,
      testWebhookUrl: e.PAYMENTS_TEST_WEBHOOK_URL,
      testConfirmDelayMs: e.PAYMENTS_TEST_CONFIRM_DELAY_MS,
    },
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      attempts: e.NOTIFY_ATTEMPTS,
      backoffMs: e.NOTIFY_BACKOFF_MS,
    },
  };
}

/** For entry points: the configuration, or every problem on stderr and exit code 1. */
export function loadConfigOrExit(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
