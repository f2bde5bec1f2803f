import { ConfigError, loadConfig } from './app-config.js';

const valid = {
  DATABASE_PRIMARY_URL: 'postgres://postgres@127.0.0.1:5432/scaleshop',
  QUEUE_REDIS_URL: 'redis://127.0.0.1:6379/0',
  CACHE_REDIS_URL: 'redis://127.0.0.1:6379/1',
  JWT_ACCESS_SECRET: 'a'.repeat(32),
  JWT_REFRESH_SECRET: 'b'.repeat(32),
  PAYMENTS_WEBHOOK_SECRETS: 'c'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults to a minimal valid environment', () => {
    const config = loadConfig(valid);
    expect(config.role).toBe('all');
    expect(config.modules).toEqual([
      'identity',
      'catalog',
      'inventory',
      'ordering',
      'payments',
      'notifications',
    ]);
    expect(config.database.replicaUrls).toEqual([]);
    expect(config.database.strategy).toBe('round-robin');
    expect(config.cache.enabled).toBe(true);
    expect(config.http.port).toBe(3000);
  });

  it('reports every bad variable at once, each by name', () => {
    const problems = problemsOf({
      ...valid,
      DATABASE_PRIMARY_URL: 'mysql://x',
      ROLE: 'boss',
      PORT: '70000',
      JWT_ACCESS_SECRET: 'short',
      MODULES: 'catalog,unknown',
      CACHE_REDIS_URL: '',
    });
    const named = problems.map((p) => p.split(':')[0]);
    expect(named).toEqual(
      expect.arrayContaining([
        'DATABASE_PRIMARY_URL',
        'ROLE',
        'PORT',
        'JWT_ACCESS_SECRET',
        'MODULES.1',
        'CACHE_REDIS_URL',
      ]),
    );
  });

  it('parses lists and rejects inconsistent pairs', () => {
    const config = loadConfig({
      ...valid,
      DATABASE_REPLICA_URLS: 'postgres://a:5433/x, postgres://b:5434/x',
      MODULES: 'catalog',
      REPLICA_STRATEGY: 'latency-weighted',
      CACHE_ENABLED: 'false',
    });
    expect(config.database.replicaUrls).toHaveLength(2);
    expect(config.modules).toEqual(['catalog']);
    expect(config.database.strategy).toBe('latency-weighted');
    expect(config.cache.enabled).toBe(false);
    expect(problemsOf({ ...valid, ADMIN_EMAIL: 'a@b.co' })).toEqual([
      'ADMIN_EMAIL/ADMIN_PASSWORD: set both or neither',
    ]);
    expect(problemsOf({ ...valid, JWT_REFRESH_SECRET: valid.JWT_ACCESS_SECRET })).toHaveLength(1);
  });
});
