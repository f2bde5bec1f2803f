import 'reflect-metadata';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { cliConfig, cliDataSource } from './cli-data-source.js';

/**
 * Plan check of the shop's named queries against a seeded database: EXPLAIN (FORMAT JSON) each
 * one with realistic parameters taken from the data, print its plan nodes, and exit 1 when any
 * plan reads catalog.products or catalog.product_documents with a sequential scan. Run it after
 * `seed-catalog` (which ANALYZEs); `--analyze` also executes the queries and shows times.
 *
 * The list SQL is built exactly as ShopQueryService.listJson builds it (the e2e test compares them).
 * Search is checked by the predicates its indexes serve: full text (`search @@ tsquery`) and the
 * typo fallback by pg_trgm word similarity (`search_text %> $q`, as ProductSearchService uses it:
 * the whole-string `%` finds nothing for a short query against a long name, e.g. 0 rows for
 * "linnen shirt" over 100k documents).
 */

const WATCHED = new Set(['products', 'product_documents']);

type Sort = 'newest' | 'price_asc' | 'price_desc';
interface ListInput {
  sort?: Sort;
  /** The category's id, as the service binds it after looking the slug up. */
  categoryId?: string;
  priceMin?: number;
  priceMax?: number;
  inStock?: boolean;
  after?: { key: number; id: string };
  limit?: number;
}

/** A named shop query: its SQL and parameters, as the application sends them. */
interface ShopQuery {
  name: string;
  purpose: string;
  sql: string;
  params: unknown[];
}

// Copied from ShopQueryService (SORTS): ORDER BY and keyset comparison per sort.
const SORTS: Record<Sort, { order: string; after: string }> = {
  newest: {
    order: 'created_at DESC, product_id DESC',
    after: '(created_at, product_id) < (to_timestamp($K::double precision / 1000), $I::uuid)',
  },
  price_asc: {
    order: 'min_price ASC, product_id ASC',
    after: '(min_price, product_id) > ($K::int, $I::uuid)',
  },
  price_desc: {
    order: 'min_price DESC, product_id DESC',
    after: '(min_price, product_id) < ($K::int, $I::uuid)',
  },
};

/**
 * The statement ShopQueryService.listJson (the REST list) sends for `input`: same clauses, same
 * order, same binding. GraphQL's `list` differs only in selecting `document` without `::text`.
 */
function shopListQuery(input: ListInput): { sql: string; params: unknown[] } {
  const sort = SORTS[input.sort ?? 'newest'];
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where = [`status = 'active'`];
  if (input.categoryId !== undefined) {
    where.push(`category_ids @> ARRAY[${bind(input.categoryId)}::uuid]`);
  }
  if (input.priceMin !== undefined) where.push(`min_price >= ${bind(input.priceMin)}`);
  if (input.priceMax !== undefined) where.push(`min_price <= ${bind(input.priceMax)}`);
  if (input.inStock) where.push('in_stock');
  if (input.after) {
    where.push(sort.after.replace('$K', bind(input.after.key)).replace('$I', bind(input.after.id)));
  }
  const sql = `SELECT product_id, created_at, min_price, document::text AS document
         FROM catalog.product_documents
        WHERE ${where.join(' AND ')} ORDER BY ${sort.order} LIMIT ${bind((input.limit ?? 20) + 1)}`;
  return { sql, params };
}

interface Samples {
  root: string;
  rootId: string;
  leaf: string;
  leafId: string;
  page1Last: { key: number; id: string };
  slug: string;
  id: string;
}

const NO_CATEGORY = { slug: 'no-such-category', id: '00000000-0000-0000-0000-000000000000' };

/** Parameters from the data: the biggest root category, a leaf with products, a real page 2. */
async function samples(ds: DataSource): Promise<Samples | undefined> {
  const page = (await ds.query(shopListQuery({}).sql, shopListQuery({}).params)) as {
    product_id: string;
    created_at: Date;
  }[];
  if (page.length === 0) return undefined;
  const last = page[Math.min(19, page.length - 1)];
  const [{ slug }] = (await ds.query(
    'SELECT slug FROM catalog.product_documents WHERE product_id = $1',
    [page[0].product_id],
  )) as { slug: string }[];
  const biggest = async (condition: string) => {
    const rows = (await ds.query(`
      SELECT c.slug, c.id FROM catalog.categories c WHERE ${condition}
       ORDER BY (SELECT count(*) FROM catalog.product_documents d
                  WHERE d.category_ids @> ARRAY[c.id] AND d.status = 'active') DESC, c.slug
       LIMIT 1`)) as { slug: string; id: string }[];
    return rows[0] ?? NO_CATEGORY;
  };
  const first = async (condition: string) => {
    const rows = (await ds.query(
      `SELECT c.slug, c.id FROM catalog.categories c WHERE ${condition} ORDER BY c.slug LIMIT 1`,
    )) as { slug: string; id: string }[];
    return rows[0] ?? NO_CATEGORY;
  };
  const root = await biggest('c.parent_id IS NULL');
  const leaf = await first(`c.parent_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM catalog.categories k WHERE k.parent_id = c.id)
      AND EXISTS (SELECT 1 FROM catalog.product_documents d
                   WHERE d.category_ids @> ARRAY[c.id] AND d.status = 'active')`);
  return {
    root: root.slug,
    rootId: root.id,
    leaf: leaf.slug,
    leafId: leaf.id,
    page1Last: { key: new Date(last.created_at).getTime(), id: last.product_id },
    slug,
    id: page[0].product_id,
  };
}

/** Every named shop query, with parameters from `s`. */
function shopQueries(
  s: Samples,
  search: string,
  fuzzy: string,
  price: [number, number],
): ShopQuery[] {
  const list = (name: string, purpose: string, input: ListInput): ShopQuery => ({
    name,
    purpose,
    ...shopListQuery(input),
  });
  const detail = `SELECT document FROM catalog.product_documents WHERE $C AND status = 'active'`;
  return [
    list('list-newest', 'GET /products', {}),
    list('list-newest-page-2', 'GET /products?cursor=… (keyset)', { after: s.page1Last }),
    list('list-category-root', `GET /products?category=${s.root}`, { categoryId: s.rootId }),
    list('list-category-leaf', `GET /products?category=${s.leaf}`, { categoryId: s.leafId }),
    list('list-price-range', `GET /products?priceMin=${price[0]}&priceMax=${price[1]}`, {
      priceMin: price[0],
      priceMax: price[1],
    }),
    list('list-price-asc', 'GET /products?sort=price_asc', { sort: 'price_asc' }),
    list('list-price-desc', 'GET /products?sort=price_desc', { sort: 'price_desc' }),
    list('list-in-stock', 'GET /products?inStock=true', { inStock: true }),
    { name: 'product-by-id', purpose: 'GET /products/:id', ...one(detail, 'product_id', s.id) },
    {
      name: 'product-by-slug',
      purpose: 'GET /products/by-slug/:slug',
      ...one(detail, 'slug', s.slug),
    },
    {
      name: 'search-fulltext',
      purpose: `GET /search?q=${search}`,
      sql: `SELECT product_id, document FROM catalog.product_documents
             WHERE status = 'active' AND search @@ websearch_to_tsquery('english', $1)
             ORDER BY ts_rank(search, websearch_to_tsquery('english', $1)) DESC, product_id LIMIT $2`,
      params: [search, 21],
    },
    {
      name: 'search-trigram',
      purpose: `GET /search?q=${fuzzy} (no full-text hit)`,
      sql: `SELECT product_id, document FROM catalog.product_documents
             WHERE status = 'active' AND search_text %> $1
             ORDER BY word_similarity($1, search_text) DESC, product_id LIMIT $2`,
      params: [fuzzy.toLowerCase(), 21],
    },
  ];
}

function one(template: string, column: string, value: string) {
  return { sql: template.replace('$C', `${column} = $1`), params: [value] };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  'Plan Rows': number;
  'Actual Rows'?: number;
  'Actual Total Time'?: number;
  Plans?: PlanNode[];
}

/** Rows a scan of a watched table may yield for one page before --analyze points it out. */
const WIDE_SCAN_ROWS = 1_000;

/**
 * The plan as indented lines; the sequential scans of watched tables (failures); and, with
 * actual rows (--analyze), scans that read far more rows than a page needs (notes: not an error,
 * but a plan that will not keep its p99 as the catalogue grows).
 */
function summarise(plan: PlanNode): { lines: string[]; seqScans: string[]; wideScans: string[] } {
  const lines: string[] = [];
  const seqScans: string[] = [];
  const wideScans: string[] = [];
  const walk = (node: PlanNode, depth: number) => {
    const on = node['Relation Name'] ? ` on ${node['Relation Name']}` : '';
    const using = node['Index Name'] ? ` using ${node['Index Name']}` : '';
    const sub = node['Subplan Name'] ? ` [${node['Subplan Name']}]` : '';
    const actual =
      node['Actual Rows'] !== undefined
        ? ` actual rows=${node['Actual Rows']} ${node['Actual Total Time']?.toFixed(2)} ms`
        : '';
    lines.push(
      `${'  '.repeat(depth)}${node['Node Type']}${using}${on}${sub}  (est. rows=${node['Plan Rows']}${actual})`,
    );
    if (node['Node Type'] === 'Seq Scan' && WATCHED.has(node['Relation Name'] ?? '')) {
      seqScans.push(`catalog.${node['Relation Name']}`);
    }
    if (WATCHED.has(node['Relation Name'] ?? '') && (node['Actual Rows'] ?? 0) > WIDE_SCAN_ROWS) {
      wideScans.push(
        `${node['Node Type']} on ${node['Relation Name']}: ${node['Actual Rows']} rows`,
      );
    }
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(plan, 0);
  return { lines, seqScans, wideScans };
}

const { values } = parseArgs({
  options: {
    analyze: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    only: { type: 'string' },
    search: { type: 'string', default: 'linen shirt' },
    fuzzy: { type: 'string', default: 'linnen shirt' },
    'price-min': { type: 'string', default: '2000' },
    'price-max': { type: 'string', default: '5000' },
  },
});
const out = (text: string) => process.stdout.write(`${text}\n`);
const dataSource = cliDataSource(cliConfig());
dataSource.setOptions({ maxQueryExecutionTime: undefined });
await dataSource.initialize();
try {
  const s = await samples(dataSource);
  if (!s) {
    process.stderr.write('explain-catalog: no active product documents; run seed-catalog first\n');
    process.exitCode = 1;
  } else {
    const only = values.only?.split(',');
    const queries = shopQueries(s, values.search, values.fuzzy, [
      Number(values['price-min']),
      Number(values['price-max']),
    ]).filter((q) => !only || only.includes(q.name));
    const explain = values.analyze ? 'EXPLAIN (ANALYZE, FORMAT JSON)' : 'EXPLAIN (FORMAT JSON)';
    const results = [];
    for (const q of queries) {
      const [row] = (await dataSource.query(`${explain} ${q.sql}`, q.params)) as {
        'QUERY PLAN': { Plan: PlanNode; 'Execution Time'?: number }[];
      }[];
      const [{ Plan: plan, 'Execution Time': ms }] = row['QUERY PLAN'];
      results.push({ ...q, ...summarise(plan), ms, plan });
    }
    const failed = results.filter((r) => r.seqScans.length > 0);
    if (values.json) {
      out(JSON.stringify({ ok: failed.length === 0, samples: s, queries: results }, null, 2));
    } else {
      for (const r of results) {
        const verdict = r.seqScans.length ? `FAIL: Seq Scan on ${r.seqScans.join(', ')}` : 'ok';
        const time = r.ms !== undefined ? `, ${r.ms.toFixed(2)} ms` : '';
        out(`${r.name} — ${r.purpose}: ${verdict}${time}`);
        for (const line of r.lines) out(`    ${line}`);
        for (const wide of r.wideScans) out(`    note: reads many rows for one page (${wide})`);
      }
      out(
        failed.length
          ? `explain-catalog: ${failed.length} of ${results.length} plans scan a whole table: ${failed.map((r) => r.name).join(', ')}`
          : `explain-catalog: ${results.length} plans, no sequential scan of products or product documents`,
      );
    }
    if (failed.length) process.exitCode = 1;
  }
} finally {
  await dataSource.destroy();
}
