/**
 * The SQL that turns normalised rows into product documents, set-based so that one statement
 * serves one product (worker), a category subtree (tree change) or 100,000 (seed).
 *
 * `$1` is an array of product ids. The SELECT yields, per product, the shop JSON (`document`)
 * and the query columns of catalog.product_documents.
 */
export const SELECT_PRODUCT_DOCUMENTS = `
SELECT p.id AS product_id, p.slug, p.status, p.currency, p.created_at, p.version,
       COALESCE(c.path, '{}'::uuid[]) AS category_ids,
       v.min_price, v.max_price, COALESCE(v.in_stock, false) AS in_stock,
       setweight(to_tsvector('english', p.name), 'A')
         || setweight(to_tsvector('simple', COALESCE(v.skus, '')), 'A')
         || setweight(to_tsvector('english', COALESCE(crumbs.names, '')), 'B')
         || setweight(to_tsvector('english', p.description), 'C') AS search,
       lower(p.name || ' ' || COALESCE(v.skus, '')) AS search_text,
       jsonb_build_object(
         'id', p.id, 'slug', p.slug, 'name', p.name, 'description', p.description,
         'status', p.status, 'currency', p.currency,
         'priceMinor', v.min_price, 'maxPriceMinor', v.max_price,
         'images', to_jsonb(p.images), 'inStock', COALESCE(v.in_stock, false),
         'category', CASE WHEN c.id IS NULL THEN NULL ELSE jsonb_build_object(
           'id', c.id, 'slug', c.slug, 'name', c.name, 'path', crumbs.path) END,
         'variants', COALESCE(v.variants, '[]'::jsonb),
         'version', p.version,
         'createdAt', to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'updatedAt', to_char(p.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
       ) AS document
  FROM catalog.products p
  LEFT JOIN catalog.categories c ON c.id = p.category_id
  LEFT JOIN LATERAL (
    SELECT min(x.price_minor) AS min_price, max(x.price_minor) AS max_price,
           bool_or(x.in_stock) AS in_stock,
           string_agg(x.sku, ' ' ORDER BY x.position, x.sku) AS skus,
           jsonb_agg(jsonb_build_object('id', x.id, 'sku', x.sku, 'options', x.options,
                                        'priceMinor', x.price_minor) ORDER BY x.position, x.sku) AS variants
      FROM catalog.variants x WHERE x.product_id = p.id
  ) v ON true
  LEFT JOIN LATERAL (
    SELECT string_agg(a.name, ' ') AS names,
           jsonb_agg(jsonb_build_object('id', a.id, 'slug', a.slug, 'name', a.name)
                     ORDER BY array_position(c.path, a.id)) AS path
      FROM catalog.categories a WHERE a.id = ANY(c.path)
  ) crumbs ON true
 WHERE p.id = ANY($1::uuid[])`;

/**
 * Upserts the documents of the products in `$1`. `revision` counts rebuilds of a document;
 * in_stock is true while any variant is in stock (catalog.variants.in_stock follows inventory);
 * a product without variants gets no document (it cannot be sold or priced).
 */
export const UPSERT_PRODUCT_DOCUMENTS = `
INSERT INTO catalog.product_documents
  (product_id, slug, status, category_ids, min_price, max_price, currency, in_stock, created_at,
   search, search_text, document, revision, source_version, refreshed_at)
SELECT d.product_id, d.slug, d.status, d.category_ids, d.min_price, d.max_price, d.currency, d.in_stock,
       d.created_at, d.search, d.search_text, d.document, 1, d.version, now()
  FROM (${SELECT_PRODUCT_DOCUMENTS}) d
 WHERE d.min_price IS NOT NULL
ON CONFLICT (product_id) DO UPDATE SET
  slug = EXCLUDED.slug, status = EXCLUDED.status, category_ids = EXCLUDED.category_ids,
  min_price = EXCLUDED.min_price, max_price = EXCLUDED.max_price, currency = EXCLUDED.currency,
  created_at = EXCLUDED.created_at, search = EXCLUDED.search, search_text = EXCLUDED.search_text,
  in_stock = EXCLUDED.in_stock, document = EXCLUDED.document,
  revision = catalog.product_documents.revision + 1,
  source_version = GREATEST(catalog.product_documents.source_version, EXCLUDED.source_version),
  refreshed_at = now()`;

/** Products whose category lies in the subtree of `$1` (a category id). */
export const PRODUCTS_IN_CATEGORY_SUBTREE = `
SELECT p.id FROM catalog.products p
 WHERE p.category_id IN (SELECT id FROM catalog.categories WHERE path @> ARRAY[$1::uuid])`;
