import 'reflect-metadata';
import { cliConfig, cliDataSource } from './cli-data-source.js';
import { pendingSchemaChanges } from './schema-diff.js';

/**
 * Fails when entities and migrations disagree: after migrating, the SQL TypeORM would generate
 * must be empty. Run in CI against a freshly migrated database.
 */
const dataSource = cliDataSource(cliConfig());
await dataSource.initialize();
try {
  await dataSource.runMigrations({ transaction: 'each' });
  const pending = await pendingSchemaChanges(dataSource);
  if (pending.length) {
    process.stderr.write(
      `Entities and migrations disagree; a migration needs:\n${pending.join(';\n')};\n`,
    );
    process.exitCode = 1;
  } else {
    process.stdout.write('schema: entities and migrations agree\n');
  }
} finally {
  await dataSource.destroy();
}
