import 'reflect-metadata';
import { cliConfig, cliDataSource } from './cli-data-source.js';

/** Applies pending migrations to the primary (replicas follow by streaming). */
const dataSource = cliDataSource(cliConfig());
await dataSource.initialize();
try {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  process.stdout.write(
    applied.length
      ? `applied: ${applied.map((m) => m.name).join(', ')}\n`
      : 'migrations: up to date\n',
  );
} finally {
  await dataSource.destroy();
}
