import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations/index.js';
import { CATALOG_ENTITIES } from '../modules/catalog/catalog.module.js';
import { IDENTITY_ENTITIES } from '../modules/identity/identity.module.js';
import { INVENTORY_ENTITIES } from '../modules/inventory/inventory.module.js';
import { NOTIFICATIONS_ENTITIES } from '../modules/notifications/notifications.module.js';
import { ORDERING_ENTITIES } from '../modules/ordering/ordering.module.js';
import { PAYMENTS_ENTITIES } from '../modules/payments/payments.module.js';
import { loadConfigOrExit, type AppConfig } from '../platform/config/app-config.js';
import { dataSourceOptions } from '../platform/database/data-source-options.js';

/** Every mapped table of every context, for the CLI tools. */
export const ALL_ENTITIES = [
  ...IDENTITY_ENTITIES,
  ...CATALOG_ENTITIES,
  ...INVENTORY_ENTITIES,
  ...ORDERING_ENTITIES,
  ...PAYMENTS_ENTITIES,
  ...NOTIFICATIONS_ENTITIES,
];

/** Config for a CLI tool: exits listing every bad variable, like the app. */
export const cliConfig = loadConfigOrExit;

/** A primary-only data source with all entities and migrations (no replicas: tools write). */
export function cliDataSource(config: AppConfig, url = config.database.primaryUrl): DataSource {
  const options = dataSourceOptions(
    { ...config, database: { ...config.database, primaryUrl: url } },
    {
      entities: ALL_ENTITIES,
    },
  );
  // No slow-query log: the tools' bulk statements are slow on purpose and carry big parameters.
  return new DataSource({
    ...options,
    replication: undefined,
    url,
    migrations: MIGRATIONS,
    maxQueryExecutionTime: undefined,
  } as never);
}
