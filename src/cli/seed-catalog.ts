import 'reflect-metadata';
import { parseArgs } from 'node:util';
import {
  CatalogNotEmptyError,
  seedBulkCatalog,
  type SeedPhase,
} from '../modules/catalog/catalog-seed.tasks.js';
import { cliConfig, cliDataSource } from './cli-data-source.js';

const USAGE = `usage: seed-catalog [--products 100000] [--variants-per-product 3] [--categories 1000]
                    [--append] [--document-workers 2]`;

/**
 * A large, realistic catalogue for load tests and plan checks, set-based (no per-row round trip):
 * category tree, products, variants, product documents, then ANALYZE. Prints the time of each
 * phase. Refuses (exit 1) when products exist, unless --append.
 */
function options() {
  const { values } = parseArgs({
    options: {
      products: { type: 'string', default: '100000' },
      'variants-per-product': { type: 'string', default: '3' },
      categories: { type: 'string', default: '1000' },
      append: { type: 'boolean', default: false },
      'document-workers': { type: 'string', default: '2' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      process.stderr.write(`--${name} must be an integer in ${min}…${max}\n${USAGE}\n`);
      process.exit(1);
    }
    return n;
  };
  return {
    products: int('products', values.products, 1, 10_000_000),
    variantsPerProduct: int('variants-per-product', values['variants-per-product'], 1, 40),
    categories: int('categories', values.categories, 1, 100_000),
    append: values.append,
    documentWorkers: int('document-workers', values['document-workers'], 1, 16),
  };
}

const opts = options();
const dataSource = cliDataSource(cliConfig());
// Bulk statements are slow by design; the slow-query log would print 100,000 parameters.
dataSource.setOptions({ maxQueryExecutionTime: undefined });
await dataSource.initialize();
const started = performance.now();
const line = (p: SeedPhase) =>
  process.stdout.write(
    `${p.phase.padEnd(14)} ${String(p.rows).padStart(9)} rows ${(p.ms / 1000).toFixed(1).padStart(6)} s\n`,
  );
try {
  await seedBulkCatalog(dataSource, opts, line);
  process.stdout.write(`total ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
} catch (err) {
  if (!(err instanceof CatalogNotEmptyError)) throw err;
  process.stderr.write(`seed-catalog: ${err.message}\n`);
  process.exitCode = 1;
} finally {
  await dataSource.destroy();
}
