import 'reflect-metadata';
import {
  listSkus,
  rebuildProductDocuments,
  seedDemoCatalog,
} from '../modules/catalog/catalog.tasks.js';
import { seedDemoStock, stockedSkuCount } from '../modules/inventory/inventory.tasks.js';
import { cliConfig, cliDataSource } from './cli-data-source.js';

const DEMO_PRODUCTS = Number(process.env.SEED_PRODUCTS ?? 50);
const DEMO_STOCK = Number(process.env.SEED_STOCK ?? 100);

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
    // A catalog without any stock cannot be bought from: give every SKU demo stock once.
    if ((await stockedSkuCount(dataSource)) === 0) {
      const skus = await listSkus(dataSource);
      await seedDemoStock(dataSource, skus, DEMO_STOCK);
      process.stdout.write(`seed: ${DEMO_STOCK} in stock for each of ${skus.length} SKUs\n`);
    }
  }
} finally {
  await dataSource.destroy();
}
