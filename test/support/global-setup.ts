import { execFileSync } from 'node:child_process';
import pg from 'pg';

/**
 * Recreates the e2e database from migrations (never synchronize) before the suite. The replica
 * receives it by streaming replication like everything else. (Jest loads this file outside its
 * module mapper, so it imports nothing local; names match test/support/test-env.ts.)
 */
export default async function globalSetup(): Promise<void> {
  const db = process.env.SCALESHOP_TEST_DB ?? 'scaleshop_test';
  const port = process.env.PG_PORT ?? '5432';
  const admin = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
  });
  await admin.connect();
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [db],
  );
  await admin.query(`DROP DATABASE IF EXISTS "${db}"`);
  await admin.query(`CREATE DATABASE "${db}"`);
  execFileSync(process.execPath, [`${process.env.SCALESHOP_DIST ?? 'dist'}/src/cli/migrate.js`], {
    stdio: 'inherit',
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      DATABASE_PRIMARY_URL: `postgres://postgres@127.0.0.1:${port}/${db}`,
      QUEUE_REDIS_URL: 'redis://127.0.0.1:6379',
      CACHE_REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_ACCESS_SECRET: 'migration-cli-needs-no-secret-000000000',
      JWT_REFRESH_SECRET: 'migration-cli-needs-no-secret-111111111',
      PAYMENTS_WEBHOOK_SECRETS: 'migration-cli-needs-no-secret-222222222',
    },
  });
  // Apps read from the replica: let it replay the migrations first (bounded wait).
  const { rows } = await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const replicaPort = process.env.REPLICA_PORT ?? '5433';
  const standby = new pg.Client({
    connectionString: `postgres://postgres@127.0.0.1:${replicaPort}/postgres`,
  });
  await standby.connect().catch(() => undefined);
  for (let i = 0; i < 300; i++) {
    const caughtUp = await standby
      .query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [rows[0].lsn])
      .then((r) => r.rows[0].ok)
      .catch(() => true); // no replica: nothing to wait for
    if (caughtUp) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await standby.end().catch(() => undefined);
  await admin.end();
}
