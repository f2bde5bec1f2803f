import 'reflect-metadata';
import { rebuildProductDocuments, seedDemoCatalog } from '../modules/catalog/catalog.tasks.js';
import { cliConfig, cliDataSource } from './cli-data-source.js';

const DEMO_PRODUCTS = Number(process.env.SEED_PRODUCTS ?? 50);

/**
 * Demo data for the single-machine start (does nothing when products exist, so `npm start` can
 * run it every time). `--rebuild-documents` rebuilds the shop's read model from the tables.
 */
const dataSource = cliDataSource(cliConfig());
await dataSource.initialize();
try {
  if (process.argv.includes('--rebuild-documents')) {
    process.stdout.write(`documents rebuilt: ${await rebuildProductDocuments(dataSource)}\n`);
  } else {
    const seeded = await seedDemoCatalog(dataSource, DEMO_PRODUCTS);
    process.stdout.write(
      seeded ? `seed: ${seeded} demo products\n` : 'seed: products present, nothing to do\n',
    );
  }
} finally {
  await dataSource.destroy();
}
