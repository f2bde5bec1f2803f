import 'reflect-metadata';
import { cliConfig, cliDataSource } from './cli-data-source.js';

const DEMO_PRODUCTS = Number(process.env.SEED_PRODUCTS ?? 50);

/**
 * Demo data for the single-machine start: products with their `created` events in the outbox, so
 * the worker builds their documents like it would for admin writes. Does nothing when products
 * exist already, so `npm start` can run it every time.
 */
const dataSource = cliDataSource(cliConfig());
await dataSource.initialize();
try {
  await dataSource.transaction(async (m) => {
    const [{ n }] = (await m.query('SELECT count(*)::int AS n FROM catalog.products')) as {
      n: number;
    }[];
    if (n > 0) {
      process.stdout.write(`seed: ${n} products present, nothing to do\n`);
      return;
    }
    await m.query(
      `WITH inserted AS (
         INSERT INTO catalog.products (id, slug, name, description, price_minor, currency, status, version, created_at, updated_at)
         SELECT gen_random_uuid(), 'demo-product-' || i, 'Demo product ' || i, 'A product for trying Scaleshop out.',
                500 + (i * 137) % 10000, 'EUR', 'active', 1,
                date_trunc('milliseconds', now()) - make_interval(secs => i), date_trunc('milliseconds', now())
           FROM generate_series(1, $1::int) AS i
         RETURNING id)
       INSERT INTO catalog.outbox (id, type, version, payload)
       SELECT gen_random_uuid(), 'catalog.product.created', 1, jsonb_build_object('productId', id, 'version', 1)
         FROM inserted`,
      [DEMO_PRODUCTS],
    );
    process.stdout.write(`seed: ${DEMO_PRODUCTS} demo products\n`);
  });
  await dataSource.query('ANALYZE catalog.products');
} finally {
  await dataSource.destroy();
}
