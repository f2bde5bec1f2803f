import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { ShopQueryService } from '../../src/modules/catalog/application/shop-query.service.js';
import { PageCursorCodec } from '../../src/modules/catalog/domain/page-cursor.js';
import type { AppConfig } from '../../src/platform/config/app-config.js';
import { DIST } from '../support/app-process.js';
import { PRIMARY_PORT, TEST_DB, appEnv } from '../support/test-env.js';

/** Products the plan check faces; fewer only when a slow machine needs it (planner sizes matter). */
const PRODUCTS = Number(process.env.SCALESHOP_EXPLAIN_PRODUCTS ?? 100_000);
const SCRATCH_DB = `${TEST_DB}_explain`;
const SCRATCH_URL = `postgres://postgres@127.0.0.1:${PRIMARY_PORT}/${SCRATCH_DB}`;
const ADMIN_URL = `postgres://postgres@127.0.0.1:${PRIMARY_PORT}/postgres`;
const CURSOR_SECRET = 'explain-test-cursor-secret-0123456789';

interface ExplainReport {
  ok: boolean;
  samples: {
    root: string;
    rootId: string;
    leaf: string;
    leafId: string;
    page1Last: { key: number; id: string };
    slug: string;
    id: string;
  };
  queries: { name: string; sql: string; params: unknown[]; seqScans: string[]; lines: string[] }[];
}

function cli(script: string, args: string[] = []) {
  return spawnSync(process.execPath, [`${DIST}/src/cli/${script}.js`, ...args], {
    env: appEnv({ DATABASE_PRIMARY_URL: SCRATCH_URL }),
    encoding: 'utf8',
    timeout: 150_000,
  });
}

function explain(args: string[] = []) {
  const run = cli('explain-catalog', ['--json', ...args]);
  return {
    status: run.status,
    stderr: run.stderr,
    report: JSON.parse(run.stdout) as ExplainReport,
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function dropScratch(client: pg.Client): Promise<void> {
  await client.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [SCRATCH_DB],
  );
  await client.query(`DROP DATABASE IF EXISTS "${SCRATCH_DB}"`);
}

/** The statements ShopQueryService sends, captured by a data source that runs nothing. */
async function serviceSql(
  run: (shop: ShopQueryService) => Promise<unknown>,
  categoryIds: Record<string, string> = {},
) {
  const sent: { sql: string; params: unknown[] }[] = [];
  const runner = {
    query: (sql: string, params: unknown[] = []) => {
      sent.push({ sql, params });
      // The service looks a category slug up before the list statement.
      const id = sql.includes('FROM catalog.categories WHERE slug')
        ? categoryIds[String(params[0])]
        : undefined;
      return Promise.resolve(id ? [{ id }] : []);
    },
    release: () => Promise.resolve(),
  };
  const dataSource = { createQueryRunner: () => runner } as unknown as DataSource;
  const shop = new ShopQueryService(dataSource, { cursorSecret: CURSOR_SECRET } as AppConfig);
  await run(shop).catch(() => undefined); // byId/bySlug throw "not found" on the empty answer
  // The statement under test is the last one (after a category look-up, if any).
  return sent[sent.length - 1];
}
const flat = (sql: string) => sql.replace(/\s+/g, ' ').trim();

/**
 * The plan check of the shop queries, on a scratch database seeded by the seed CLI at a realistic
 * size: every named query avoids sequential scans of products and product documents, the check
 * sends exactly the SQL the service sends, and it does fail when an index a query needs is gone.
 */
describe('catalog EXPLAIN check', () => {
  let seedOutput = '';

  beforeAll(async () => {
    await withClient(ADMIN_URL, async (client) => {
      await dropScratch(client);
      await client.query(`CREATE DATABASE "${SCRATCH_DB}"`);
    });
    const migrate = cli('migrate');
    expect(migrate.stderr).toBe('');
    const seed = cli('seed-catalog', ['--products', String(PRODUCTS)]);
    seedOutput = seed.stdout + seed.stderr;
    if (seed.status !== 0) throw new Error(`seed failed (${seed.status}):\n${seedOutput}`);
  }, 240_000);

  afterAll(async () => {
    await withClient(ADMIN_URL, dropScratch);
  });

  it('seeds the catalogue set-based, phase by phase, and refuses to seed it twice', async () => {
    for (const phase of ['categories', 'products', 'variants', 'documents', 'vacuum-analyze']) {
      expect(seedOutput).toMatch(new RegExp(`^${phase} +\\d+ rows +[\\d.]+ s$`, 'm'));
    }
    const counts = await withClient(SCRATCH_URL, async (db) => {
      const { rows } = await db.query<{ p: number; v: number; d: number; c: number }>(`SELECT
        (SELECT count(*)::int FROM catalog.products) AS p, (SELECT count(*)::int FROM catalog.variants) AS v,
        (SELECT count(*)::int FROM catalog.product_documents) AS d, (SELECT count(*)::int FROM catalog.categories) AS c`);
      return rows[0];
    });
    expect(counts).toEqual({ p: PRODUCTS, v: PRODUCTS * 3, d: PRODUCTS, c: 1000 });

    const again = cli('seed-catalog', ['--products', '10']);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('pass --append');
  });

  it('plans every named shop query without a sequential scan of products or documents', () => {
    const { status, report } = explain();
    const names = report.queries.map((q) => q.name);
    expect(names).toEqual([
      'list-newest',
      'list-newest-page-2',
      'list-category-root',
      'list-category-leaf',
      'list-price-range',
      'list-price-asc',
      'list-price-desc',
      'list-in-stock',
      'product-by-id',
      'product-by-slug',
      'search-fulltext',
      'search-trigram',
    ]);
    const scans = report.queries.filter((q) => q.seqScans.length > 0);
    expect(scans.map((q) => `${q.name}:\n${q.lines.join('\n')}`)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(status).toBe(0);
  });

  it('explains exactly the SQL that ShopQueryService sends for the REST reads', async () => {
    const { report } = explain();
    const s = report.samples;
    const cursor = new PageCursorCodec(CURSOR_SECRET).encode({ sort: 'newest', ...s.page1Last });
    const asSent: Record<string, (shop: ShopQueryService) => Promise<unknown>> = {
      'list-newest': (shop) => shop.listJson({}),
      'list-newest-page-2': (shop) => shop.listJson({ cursor }),
      'list-category-root': (shop) => shop.listJson({ category: s.root }),
      'list-category-leaf': (shop) => shop.listJson({ category: s.leaf }),
      'list-price-range': (shop) => shop.listJson({ priceMin: 2000, priceMax: 5000 }),
      'list-price-asc': (shop) => shop.listJson({ sort: 'price_asc' }),
      'list-price-desc': (shop) => shop.listJson({ sort: 'price_desc' }),
      'list-in-stock': (shop) => shop.listJson({ inStock: true }),
      'product-by-id': (shop) => shop.byId(s.id),
      'product-by-slug': (shop) => shop.bySlug(s.slug),
    };
    for (const [name, run] of Object.entries(asSent)) {
      const checked = report.queries.find((q) => q.name === name);
      const sent = await serviceSql(run, { [s.root]: s.rootId, [s.leaf]: s.leafId });
      expect({ name, sql: flat(checked?.sql ?? ''), params: checked?.params }).toEqual({
        name,
        sql: flat(sent.sql),
        params: sent.params,
      });
    }
  });

  it('fails, naming the query, when an index that query needs is dropped', async () => {
    const index = 'product_documents_slug_key';
    const db = new pg.Client({ connectionString: SCRATCH_URL });
    await db.connect();
    const { rows } = await db.query<{ def: string }>(
      `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indexrelid = $1::regclass`,
      [`catalog.${index}`],
    );
    try {
      await db.query(`DROP INDEX catalog.${index}`);
      const { status, report } = explain();
      expect(report.queries.filter((q) => q.seqScans.length > 0).map((q) => q.name)).toEqual([
        'product-by-slug',
      ]);
      expect(report.ok).toBe(false);
      expect(status).toBe(1);

      const text = cli('explain-catalog', ['--only', 'product-by-slug']);
      expect(text.status).toBe(1);
      expect(text.stdout).toContain('product-by-slug — GET /products/by-slug/:slug: FAIL');
      expect(text.stdout).toContain('Seq Scan on product_documents');
    } finally {
      await db.query(rows[0].def);
      await db.end();
    }
    expect(explain(['--only', 'product-by-slug']).status).toBe(0);
  });
});
