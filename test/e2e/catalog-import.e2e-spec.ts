import { request } from 'node:http';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct, newCustomer, type JsonResponse } from '../support/http.js';
import { QUEUE_REDIS_URL } from '../support/test-env.js';

interface ImportReport {
  imported: number;
  rejected: { line: number; errors: string[] }[];
  productIds: string[];
}
interface Problem {
  status: number;
  code: string;
  detail: string;
}
interface ProductBody {
  id: string;
  name: string;
  description: string;
  slug: string;
  status: string;
  category: { slug: string } | null;
  variants: { sku: string; priceMinor: number }[];
}

const IMPORT = '/api/v1/admin/products/import';
const NDJSON = 'application/x-ndjson';
const run = `imp${Date.now()}`;
const ndjson = (rows: (object | string)[]) =>
  rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

/** A body sent in chunks with no declared length (chunked transfer encoding). */
function chunked(parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < parts.length) controller.enqueue(encoder.encode(parts[i++]));
      else controller.close();
    },
  });
}

async function post(
  base: string,
  body: string | ReadableStream<Uint8Array>,
  contentType: string,
  token?: string,
): Promise<JsonResponse<ImportReport & Problem>> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const init: RequestInit & { duplex: 'half' } = { method: 'POST', headers, body, duplex: 'half' };
  const res = await fetch(`${base}${IMPORT}`, init);
  const text = await res.text();
  const parsed = (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  return { status: res.status, headers: res.headers, body: parsed as ImportReport & Problem };
}

/**
 * Declares a 21 MiB body and sends only its first bytes: the answer must come before the rest is
 * read. (fetch cannot show this: it fails with EPIPE when the server closes while it still writes.)
 */
function declareHugeBody(
  base: string,
  token: string,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${IMPORT}`, {
      method: 'POST',
      headers: {
        'content-type': NDJSON,
        'content-length': String(21 * 1024 * 1024),
        authorization: `Bearer ${token}`,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body,
        });
        req.destroy();
      });
    });
    req.write('{"name":"Rejected huge","currency":"EUR"}\n');
  });
}

function expectProblem(res: JsonResponse<Problem>, status: number, code: string): void {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ status, code });
}

/** Removes this run's keys (queues, cached responses) from the shared Redis; never a flush. */
async function dropKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function count(db: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0].n;
}

/** Outbox events whose product does not exist: what a half-imported row would leave behind. */
const ORPHAN_EVENTS = `SELECT count(*)::int AS n FROM catalog.outbox o
  WHERE NOT EXISTS (SELECT 1 FROM catalog.products p WHERE p.id::text = o.payload->>'productId')
    AND o.payload ? 'productId'`;

describe('bulk product import (NDJSON and CSV, streamed, row by row)', () => {
  let app: AppProcess;
  let db: pg.Pool;
  let token: string;
  const category = `${run}-mugs`;

  beforeAll(async () => {
    db = primary();
    // Not resetData: it predates variants and categories, whose foreign keys make its TRUNCATE fail.
    await db.query(`TRUNCATE catalog.variants, catalog.products, catalog.categories,
      catalog.product_documents, catalog.outbox, catalog.processed_events`);
    app = await AppProcess.start({
      ROLE: 'all',
      QUEUE_PREFIX: run,
      // The cache Redis is shared with other runs: keep this run's keys apart.
      CACHE_KEY_PREFIX: `${run}:cache`,
    });
    token = await adminToken(app.url);
    const created = await api(app.url, '/api/v1/admin/categories', {
      method: 'POST',
      token,
      body: { name: 'Mugs', slug: category },
    });
    expect(created.status).toBe(201);
    await createProduct(app.url, token, { name: 'Existing', sku: 'EXISTING-1' });
  });

  afterAll(async () => {
    await app?.stop();
    await db.end();
    await dropKeys(QUEUE_REDIS_URL, `${run}:*`);
    await dropKeys(QUEUE_REDIS_URL.replace(/\/\d+$/, '/1'), `${run}:cache:*`);
  });

  it('imports exactly the good NDJSON rows, reports each bad one by line, and leaves no trace of it', async () => {
    const body = ndjson([
      {
        name: 'Import mug',
        currency: 'EUR',
        priceMinor: 1200,
        sku: 'IMP-MUG',
        categorySlug: category,
      },
      {
        name: 'Import tee',
        currency: 'EUR',
        variants: [
          { sku: 'IMP-TEE-S', options: { size: 'S' }, priceMinor: 1500 },
          { sku: 'IMP-TEE-M', options: { size: 'M' }, priceMinor: 1600 },
        ],
      },
      { name: 'Rejected negative', currency: 'EUR', priceMinor: -5, sku: 'REJ-NEG' },
      { name: 'Rejected unknown', currency: 'EUR', priceMinor: 100, sku: 'REJ-UNK', colour: 'red' },
      '{"name": "Rejected broken", "currency": ',
      '',
      { name: 'Rejected duplicate', currency: 'EUR', priceMinor: 100, sku: 'EXISTING-1' },
      { name: 'Rejected category', currency: 'EUR', sku: 'REJ-CAT', categorySlug: 'no-such-cat' },
      { name: 'Import cap', currency: 'USD', priceMinor: 900, sku: 'IMP-CAP', status: 'active' },
    ]);
    const res = await post(app.url, body, NDJSON, token);

    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(3);
    expect(res.body.productIds).toHaveLength(3);
    expect(res.body.rejected.map((r) => r.line)).toEqual([3, 4, 5, 7, 8]);
    const reasons = Object.fromEntries(res.body.rejected.map((r) => [r.line, r.errors.join('; ')]));
    expect(reasons[3]).toMatch(/priceMinor must not be less than 0/);
    expect(reasons[4]).toMatch(/property colour should not exist/);
    expect(reasons[5]).toMatch(/^Invalid JSON/);
    expect(reasons[7]).toMatch(/already uses the SKU "EXISTING-1"/);
    expect(reasons[8]).toMatch(/no-such-cat/);

    expect(
      await count(
        db,
        `SELECT count(*)::int AS n FROM catalog.products WHERE name LIKE 'Rejected%'`,
      ),
    ).toBe(0);
    expect(
      await count(db, `SELECT count(*)::int AS n FROM catalog.variants WHERE sku LIKE 'REJ-%'`),
    ).toBe(0);
    expect(
      await count(db, `SELECT count(*)::int AS n FROM catalog.variants WHERE sku = 'EXISTING-1'`),
    ).toBe(1);
    expect(await count(db, ORPHAN_EVENTS)).toBe(0);
    // One created event per imported product, committed with it.
    expect(
      await count(
        db,
        `SELECT count(*)::int AS n FROM catalog.outbox
          WHERE type = 'catalog.product.created' AND payload->>'productId' = ANY($1::text[])`,
        [res.body.productIds],
      ),
    ).toBe(3);

    // The worker builds their documents; then the shop lists them.
    const listed = await eventually(
      async () => {
        const page = await api<{ items: ProductBody[] }>(app.url, '/api/v1/products?limit=100');
        const found = res.body.productIds.map((id) => page.body.items.find((p) => p.id === id));
        if (found.some((p) => !p)) throw new Error('not all imported products are listed yet');
        return found as ProductBody[];
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(listed.map((p) => p.name)).toEqual(['Import mug', 'Import tee', 'Import cap']);
    expect(listed[0].category?.slug).toBe(category);
    expect(listed[1].variants.map((v) => v.sku)).toEqual(['IMP-TEE-S', 'IMP-TEE-M']);
  });

  it('imports CSV with quoted commas, doubled quotes and line breaks, counting the header as line 1', async () => {
    const csv = [
      'name,slug,description,currency,price_minor,sku,category_slug,status',
      `"Mug, large",${run}-mug-large,"Holds 500 ml, ""dishwasher safe""",EUR,1299,CSV-MUG-L,${category},active`,
      `Plain tee,,"Line one\nline two",EUR,1500,CSV-TEE,,`,
      'Rejected csv price,,x,EUR,abc,REJ-CSV,,',
      'Rejected csv fields,,EUR,1,REJ-CSV-2',
      '',
    ].join('\r\n');
    const res = await post(app.url, csv, 'text/csv; charset=utf-8', token);

    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.rejected).toEqual([
      { line: 5, errors: expect.arrayContaining(['priceMinor must be an integer number']) },
      { line: 6, errors: ['Expected 8 fields as in the header, found 5'] },
    ]);
    const [mug, tee] = await Promise.all(
      res.body.productIds.map(
        async (id) =>
          (await api<ProductBody>(app.url, `/api/v1/admin/products/${id}`, { token })).body,
      ),
    );
    expect(mug).toMatchObject({
      name: 'Mug, large',
      slug: `${run}-mug-large`,
      description: 'Holds 500 ml, "dishwasher safe"',
      status: 'active',
      category: expect.objectContaining({ slug: category }),
      variants: [expect.objectContaining({ sku: 'CSV-MUG-L', priceMinor: 1299 })],
    });
    expect(tee).toMatchObject({
      name: 'Plain tee',
      description: 'Line one\nline two',
      category: null,
    });
    expect(
      await count(db, `SELECT count(*)::int AS n FROM catalog.variants WHERE sku LIKE 'REJ-%'`),
    ).toBe(0);
  });

  it('refuses a customer with 403 and an anonymous caller with 401', async () => {
    const customer = await newCustomer(app.url);
    const body = ndjson([{ name: 'Rejected auth', currency: 'EUR', sku: 'REJ-AUTH' }]);
    expectProblem(await post(app.url, body, NDJSON, customer.accessToken), 403, 'auth.forbidden');
    expectProblem(await post(app.url, body, NDJSON), 401, 'auth.unauthenticated');
    expect(
      await count(db, `SELECT count(*)::int AS n FROM catalog.variants WHERE sku = 'REJ-AUTH'`),
    ).toBe(0);
  });

  it('answers problem+json for an empty body (400), a wrong content type (415) and a bad CSV header (400)', async () => {
    expectProblem(await post(app.url, '', NDJSON, token), 400, 'catalog.import_empty');
    expectProblem(await post(app.url, '\n\n', NDJSON, token), 400, 'catalog.import_empty');
    const json = await post(
      app.url,
      JSON.stringify({ name: 'x', currency: 'EUR' }),
      'application/json',
      token,
    );
    expectProblem(json, 415, 'request.unsupported_media_type');
    expectProblem(
      await post(app.url, 'name', 'text/plain', token),
      415,
      'request.unsupported_media_type',
    );
    const header = await post(app.url, 'name,currency,colour\nx,EUR,red\n', 'text/csv', token);
    expectProblem(header, 400, 'catalog.import_bad_header');
    expect(header.body).toMatchObject({ unknown: ['colour'] });
    // The parser for these types serves the import only: other routes still refuse them.
    const other = await api<Problem>(app.url, '/api/v1/admin/products', {
      method: 'POST',
      token,
      body: 'name,currency\n',
      headers: { 'content-type': 'text/csv' },
    });
    expectProblem(other, 415, 'request.unsupported_media_type');
  });

  it('rejects a row longer than 64 KiB and imports the rows around it', async () => {
    const body = ndjson([
      { name: 'Long before', currency: 'EUR', priceMinor: 100, sku: 'LONG-BEFORE' },
      {
        name: 'Rejected long',
        currency: 'EUR',
        sku: 'REJ-LONG',
        description: 'x'.repeat(100 * 1024),
      },
      { name: 'Long after', currency: 'EUR', priceMinor: 100, sku: 'LONG-AFTER' },
    ]);
    const res = await post(app.url, body, NDJSON, token);
    expect(res.status).toBe(200);
    expect(res.body.imported).toBe(2);
    expect(res.body.rejected).toEqual([
      { line: 2, errors: ['The row is longer than 65536 bytes'] },
    ]);
    expect(
      await count(db, `SELECT count(*)::int AS n FROM catalog.variants WHERE sku = 'REJ-LONG'`),
    ).toBe(0);
  });

  it('imports 2,000 rows streamed in chunks with no declared length', async () => {
    const rows = Array.from({ length: 2_000 }, (_, i) =>
      JSON.stringify({ name: `Bulk ${i}`, currency: 'EUR', priceMinor: 100 + i, sku: `BULK-${i}` }),
    );
    // 100 chunks of 20 rows, cut mid-line on purpose.
    const text = rows.join('\n') + '\n';
    const parts = Array.from({ length: 100 }, (_, i) =>
      text.slice((i * text.length) / 100, ((i + 1) * text.length) / 100),
    );
    const started = Date.now();
    const res = await post(app.url, chunked(parts), NDJSON, token);
    const elapsedMs = Date.now() - started;

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ imported: 2_000, rejected: [] });
    expect(new Set(res.body.productIds).size).toBe(2_000);
    expect(
      await count(db, `SELECT count(*)::int AS n FROM catalog.variants WHERE sku LIKE 'BULK-%'`),
    ).toBe(2_000);
    expect(elapsedMs).toBeLessThan(30_000);
  });

  it('answers 413 for a body over 20 MiB, declared or found while streaming', async () => {
    const before = await count(db, 'SELECT count(*)::int AS n FROM catalog.products');
    const line = JSON.stringify({
      name: 'Rejected huge',
      currency: 'EUR',
      description: 'y'.repeat(1024 * 1024),
    });
    const declared = await declareHugeBody(app.url, token);
    expect(declared.status).toBe(413);
    expect(declared.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(declared.body)).toMatchObject({
      status: 413,
      code: 'request.body_too_large',
    });
    const streamed = await post(
      app.url,
      chunked(Array.from({ length: 21 }, () => `${line}\n`)),
      NDJSON,
      token,
    );
    expectProblem(streamed, 413, 'request.body_too_large');
    expect(streamed.headers.get('connection')).toBe('close');
    expect(await count(db, 'SELECT count(*)::int AS n FROM catalog.products')).toBe(before);
    // The process is still serving.
    expect((await api(app.url, '/health/live')).status).toBe(200);
  });
});
