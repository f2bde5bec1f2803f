import type { DataSource } from 'typeorm';
import { InvalidInputError } from '../../../platform/errors/common-errors.js';
import { SkuTakenError } from '../domain/catalog.errors.js';
import type { CreateProductInput, ProductAdminService } from './product-admin.service.js';
import { parseCsv, readRecords } from './import-records.js';
import {
  IMPORT_LIMITS,
  ProductImportService,
  type ImportRow,
  type RowCheck,
} from './product-import.service.js';

const acceptAll: RowCheck = async (fields) => ({ ok: true, row: fields as unknown as ImportRow });

async function* chunksOf(text: string, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function records(text: string, quoted: boolean, size = 3, maxBytes = 64) {
  const out: { line: number; text?: string }[] = [];
  for await (const r of readRecords(chunksOf(text, size), quoted, maxBytes)) out.push(r);
  return out;
}

/** A catalog that remembers SKUs, answers after a random delay, and can be told to break. */
function fakeCatalog(failOn?: string) {
  const skus = new Set<string>();
  const created: string[] = [];
  const createIn = async (_m: unknown, input: CreateProductInput): Promise<string> => {
    // Finish in a random order within a batch.
    for (let turns = Math.floor(Math.random() * 4); turns > 0; turns--) {
      await new Promise((r) => setImmediate(r));
    }
    if (input.name === failOn) throw new Error('connection lost');
    if (input.sku && skus.has(input.sku)) throw new SkuTakenError(input.sku);
    if (input.sku) skus.add(input.sku);
    created.push(input.name);
    return `id-${input.name}`;
  };
  const queries: string[] = [];
  const query = async (_sql: string, params: string[]) => {
    queries.push(params[0]);
    return params[0] === 'known' ? [{ id: 'cat-1' }] : [];
  };
  const service = new ProductImportService(
    { createIn } as unknown as ProductAdminService,
    { query } as unknown as DataSource,
  );
  return { service, created, queries };
}

const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');

describe('parseCsv', () => {
  it('reads RFC 4180 fields: quoted commas, doubled quotes, empty fields', () => {
    expect(parseCsv('a,"b, c","say ""hi""",,')).toEqual(['a', 'b, c', 'say "hi"', '', '']);
    expect(parseCsv('"multi\nline"')).toEqual(['multi\nline']);
  });

  it('says what is wrong with a malformed record', () => {
    expect(parseCsv('"open')).toBe('Unterminated quoted field');
    expect(parseCsv('a"b,c')).toBe('A quote inside an unquoted field');
    expect(parseCsv('"a"b,c')).toBe('Unexpected text after a quoted field');
  });
});

describe('readRecords', () => {
  it('splits across chunk boundaries, numbers lines, drops CR and a BOM', async () => {
    expect(await records('\uFEFFone\r\ntwo\n\nthree', false)).toEqual([
      { line: 1, text: 'one' },
      { line: 2, text: 'two' },
      { line: 3, text: '' },
      { line: 4, text: 'three' },
    ]);
  });

  it('keeps a quoted line break inside the CSV record and counts its lines', async () => {
    expect(await records('h\n"a\nb",c\nd\n', true)).toEqual([
      { line: 1, text: 'h' },
      { line: 2, text: '"a\nb",c' },
      { line: 4, text: 'd' },
    ]);
  });

  it('reports an overlong record without keeping its text', async () => {
    expect(await records(`ok\n${'x'.repeat(100)}\nok`, false, 7, 10)).toEqual([
      { line: 1, text: 'ok' },
      { line: 2 },
      { line: 3, text: 'ok' },
    ]);
  });
});

describe('ProductImportService', () => {
  it('lets the earlier line win a SKU both claim, although rows run concurrently', async () => {
    const { service, created } = fakeCatalog();
    const rows = [
      { name: 'a', sku: 'A' },
      { name: 'b', sku: 'B' },
      { name: 'c', sku: 'A' },
      { name: 'd', sku: 'D' },
    ].map((r) => ({ ...r, currency: 'EUR' }));
    const report = await service.importFrom('ndjson', chunksOf(ndjson(rows), 5), acceptAll);
    expect(report.imported).toBe(3);
    expect(report.productIds).toEqual(['id-a', 'id-b', 'id-d']);
    expect(report.rejected).toEqual([
      { line: 3, errors: ['Another variant already uses the SKU "A"'] },
    ]);
    expect(created.sort()).toEqual(['a', 'b', 'd']);
  });

  it('resolves a category slug once per import and rejects an unknown one', async () => {
    const { service, queries } = fakeCatalog();
    const rows = [
      { name: 'a', currency: 'EUR', categorySlug: 'known' },
      { name: 'b', currency: 'EUR', categorySlug: 'known' },
      { name: 'c', currency: 'EUR', categorySlug: 'unknown' },
    ];
    const report = await service.importFrom('ndjson', chunksOf(ndjson(rows), 64), acceptAll);
    expect(report.imported).toBe(2);
    expect(report.rejected).toEqual([{ line: 3, errors: ['No category has the slug "unknown"'] }]);
    expect(queries).toEqual(['known', 'unknown']);
  });

  it(`stops after ${IMPORT_LIMITS.maxRows} rows and says so at the next line`, async () => {
    const { service } = fakeCatalog();
    const rows = Array.from({ length: IMPORT_LIMITS.maxRows + 5 }, (_, i) => `Row ${i},EUR`);
    const csv = ['name,currency', ...rows].join('\n');
    const report = await service.importFrom('csv', chunksOf(csv, 4096), acceptAll);
    expect(report.imported).toBe(IMPORT_LIMITS.maxRows);
    expect(report.rejected).toEqual([
      { line: IMPORT_LIMITS.maxRows + 2, errors: [expect.stringMatching(/at most 10000 rows/)] },
    ]);
  });

  it('refuses a body without rows and a CSV header it does not know', async () => {
    const { service } = fakeCatalog();
    await expect(service.importFrom('ndjson', chunksOf('\n \n', 2), acceptAll)).rejects.toThrow(
      InvalidInputError,
    );
    await expect(
      service.importFrom('csv', chunksOf('name,currency\n', 2), acceptAll),
    ).rejects.toThrow('The import holds no rows');
    await expect(
      service.importFrom('csv', chunksOf('name,price\nx,1\n', 2), acceptAll),
    ).rejects.toMatchObject({ code: 'catalog.import_bad_header', details: { unknown: ['price'] } });
  });

  it('stops on an error that is not the row’s fault, after the rows in flight settle', async () => {
    const { service, created } = fakeCatalog('b');
    const rows = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({ name, currency: 'EUR' }));
    await expect(
      service.importFrom('ndjson', chunksOf(ndjson(rows), 64), acceptAll),
    ).rejects.toThrow('connection lost');
    // a, c and d ran beside b (4 rows at a time) and finished; nothing after them started.
    expect(created.sort()).toEqual(['a', 'c', 'd']);
  });
});
