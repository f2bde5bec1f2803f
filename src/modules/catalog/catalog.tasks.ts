/**
 * Operational tasks of the catalog (seeding, rebuilding the read model), for the CLI. Like the
 * contract, this file may be imported from outside the context; it runs with its own data source.
 */
import type { DataSource } from 'typeorm';
import { UPSERT_PRODUCT_DOCUMENTS } from './application/product-document.sql.js';

/** Rebuilds every product document from the normalised tables, in batches. Returns the count. */
export async function rebuildProductDocuments(
  dataSource: DataSource,
  batchSize = 5_000,
): Promise<number> {
  let done = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows = (await dataSource.query(
      'SELECT id FROM catalog.products WHERE id > $1 ORDER BY id LIMIT $2',
      [after, batchSize],
    )) as { id: string }[];
    if (rows.length === 0) break;
    await dataSource.query(UPSERT_PRODUCT_DOCUMENTS, [rows.map((r) => r.id)]);
    done += rows.length;
    after = rows[rows.length - 1].id;
  }
  await dataSource.query(
    'ANALYZE catalog.products, catalog.variants, catalog.categories, catalog.product_documents',
  );
  return done;
}

/**
 * Demo data for the single-machine start: a small category tree and `count` products with three
 * variants each, and their documents. Does nothing when products exist.
 */
export async function seedDemoCatalog(dataSource: DataSource, count: number): Promise<number> {
  const [{ n }] = (await dataSource.query('SELECT count(*)::int AS n FROM catalog.products')) as {
    n: number;
  }[];
  if (n > 0) return 0;
  await dataSource.transaction(async (m) => {
    await m.query(`
      WITH roots AS (
        INSERT INTO catalog.categories (id, parent_id, slug, name, path, position, created_at, updated_at)
        SELECT id, NULL, slug, name, ARRAY[id], pos, now(), now()
          FROM (SELECT gen_random_uuid() AS id, r.* FROM (VALUES ('clothing', 'Clothing', 0), ('home', 'Home', 1))
                AS r(slug, name, pos)) r
        RETURNING id, slug, path)
      INSERT INTO catalog.categories (id, parent_id, slug, name, path, position, created_at, updated_at)
      SELECT x.id, x.parent_id, x.slug, x.name, x.parent_path || x.id, x.pos, now(), now()
        FROM (SELECT gen_random_uuid() AS id, r.id AS parent_id, r.path AS parent_path,
                     r.slug || '-' || c.slug AS slug, c.name, c.pos
                FROM roots r CROSS JOIN (VALUES ('basics', 'Basics', 0), ('premium', 'Premium', 1)) AS c(slug, name, pos)) x`);
    await m.query(
      `INSERT INTO catalog.products (id, slug, name, description, currency, status, category_id, version, created_at, updated_at)
       SELECT gen_random_uuid(), 'demo-product-' || i, 'Demo product ' || i,
              'A product for trying Scaleshop out.', 'EUR', 'active',
              (SELECT id FROM catalog.categories WHERE parent_id IS NOT NULL ORDER BY slug OFFSET (i % 4) LIMIT 1),
              1, date_trunc('milliseconds', now()) - make_interval(secs => i), date_trunc('milliseconds', now())
         FROM generate_series(1, $1::int) AS i`,
      [count],
    );
    await m.query(`
      INSERT INTO catalog.variants (id, product_id, sku, options, price_minor, position, created_at, updated_at)
      SELECT gen_random_uuid(), p.id, upper(p.slug) || '-' || s.size, jsonb_build_object('size', s.size),
             500 + (abs(hashtext(p.slug)) % 9500) + s.pos * 200, s.pos, p.created_at, p.created_at
        FROM catalog.products p CROSS JOIN (VALUES ('S', 0), ('M', 1), ('L', 2)) AS s(size, pos)`);
  });
  return rebuildProductDocuments(dataSource);
}

/** Every SKU of every product (for the seed CLI, which stocks them). */
export async function listSkus(dataSource: DataSource): Promise<string[]> {
  const rows = (await dataSource.query('SELECT sku FROM catalog.variants ORDER BY sku')) as {
    sku: string;
  }[];
  return rows.map((r) => r.sku);
}
