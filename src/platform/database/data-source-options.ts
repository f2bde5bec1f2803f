import type { DataSourceOptions, Logger } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';

/**
 * TypeORM options shared by the app and the migration CLI. Replicas are not given to TypeORM:
 * ReadRouter owns their pools (TypeORM would pick one at random, with no health check, and fail to
 * boot while one is down); `slaves: []` still makes TypeORM send reads through the router.
 */
export function dataSourceOptions(
  config: AppConfig,
  extra: { entities?: DataSourceOptions['entities']; migrations?: string[]; logger?: Logger } = {},
): DataSourceOptions {
  return {
    type: 'postgres',
    replication: {
      master: { url: config.database.primaryUrl },
      slaves: [],
      defaultMode: 'slave',
    },
    entities: extra.entities ?? [],
    migrations: extra.migrations ?? [],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install on boot.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    poolSize: config.database.poolSize,
    connectTimeoutMS: config.database.connectTimeoutMs,
    applicationName: `scaleshop-${config.role}`,
    maxQueryExecutionTime: 500,
    logger: extra.logger,
    logging: extra.logger ? ['error', 'warn'] : false,
  };
}
