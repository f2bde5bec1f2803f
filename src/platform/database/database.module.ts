import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { getToken as getMetricToken } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { METRIC } from '../observability/metric-names.js';
import { dataSourceOptions } from './data-source-options.js';
import { READ_ROUTER } from './database.tokens.js';
import { QueryLogger } from './query-logger.js';
import { ReadRouter } from './read-router.js';
import { ReplicaHealthMonitor } from './replica-health.monitor.js';
import { ReplicaNode } from './replica-node.js';
import { createReplicaStrategy } from './replica-strategies.js';

/** Builds the replica pools and the read router before TypeORM exists. */
@Module({
  providers: [
    {
      provide: READ_ROUTER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const db = config.database;
        const replicas = db.replicaUrls.map(
          (url) =>
            new ReplicaNode(url, {
              poolSize: db.poolSize,
              connectTimeoutMs: db.connectTimeoutMs,
              appName: `scaleshop-${config.role}-read`,
            }),
        );
        return new ReadRouter(replicas, createReplicaStrategy(db.strategy));
      },
    },
  ],
  exports: [READ_ROUTER],
})
class ReadRoutingModule {}

/** The options object carries the router from the options factory to the data source factory. */
type RoutedOptions = DataSourceOptions & { readRouter?: ReadRouter };

/**
 * PostgreSQL access: writes and transactions on the primary, reads outside transactions on a
 * healthy replica chosen by the configured strategy (see ReadRouter).
 */
@Global()
@Module({
  imports: [
    ReadRoutingModule,
    TypeOrmModule.forRootAsync({
      imports: [ReadRoutingModule],
      inject: [APP_CONFIG, READ_ROUTER, getMetricToken(METRIC.dbQueries)],
      useFactory: (config: AppConfig, router: ReadRouter, queries: Counter<string>) => {
        const options: RoutedOptions & { autoLoadEntities: boolean } = {
          ...dataSourceOptions(config, { logger: new QueryLogger(queries) }),
          autoLoadEntities: true,
          readRouter: router,
        };
        return { ...options, retryAttempts: 3, retryDelay: 1_000 };
      },
      dataSourceFactory: async (options?: RoutedOptions) => {
        const router = options?.readRouter;
        if (!options || !router)
          throw new Error('Data source options were not built by DatabaseModule');
        const dataSource = new DataSource(options);
        router.attach(dataSource);
        return dataSource.initialize();
      },
    }),
  ],
  providers: [ReplicaHealthMonitor],
  exports: [ReadRoutingModule, ReplicaHealthMonitor],
})
export class DatabaseModule {}
