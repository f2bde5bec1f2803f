import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '../../../platform/errors/common-errors.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { slugify } from '../domain/slug.js';
import { ProductAdminService, type CreateProductInput } from './product-admin.service.js';

export type ImportFormat = 'ndjson' | 'csv';

/** One row as the import accepts it: a product to create, its category given by id or slug. */
export interface ImportRow extends CreateProductInput {
  categorySlug?: string;
}

/** Checks a row's fields against the API's rules; the import service knows no wire format rules. */
export type RowCheck = (
  fields: Record<string, unknown>,
) => Promise<{ ok: true; row: ImportRow } | { ok: false; errors: string[] }>;

export interface ImportRejection {
  /** 1-based line of the row in the body (CSV: the header is line 1). */
  line: number;
  errors: string[];
}

export interface ImportReport {
  imported: number;
  rejected: ImportRejection[];
  productIds: string[];
}

/** concurrentRows: rows in flight at once, each holding a pooled connection while it commits. */
export const IMPORT_LIMITS = { maxRows: 10_000, maxRowBytes: 64 * 1024, concurrentRows: 4 };

/** A record of the body: its text, or none when it was longer than the limit (not kept). */
interface RawRecord {
  line: number;
  text?: string;
}

/** CSV column → field of the row. A Map: a header cell like "constructor" must not match. */
const CSV_COLUMNS = new Map([
  ['name', 'name'],
  ['slug', 'slug'],
  ['description', 'description'],
  ['currency', 'currency'],
  ['price_minor', 'priceMinor'],
  ['sku', 'sku'],
  ['category_slug', 'categorySlug'],
  ['status', 'status'],
]);
const REQUIRED_CSV_COLUMNS = ['name', 'currency'];

const LF = 0x0a;
const QUOTE = 0x22;

/** A checked row waiting for its transaction, with the unique keys it will claim. */
interface PendingRow {
  line: number;
  input: CreateProductInput;
  keys: string[];
}

/**
 * Bulk import of products. The body is read as it arrives, one record at a time; each row is
 * checked and then created in its own transaction (product, variants and outbox event together),
 * so a row is imported whole or not at all and a bad row never stops the others.
 */
@Injectable()
export class ProductImportService {
  constructor(
    private readonly products: ProductAdminService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async importFrom(
    format: ImportFormat,
    body: AsyncIterable<Buffer>,
    check: RowCheck,
  ): Promise<ImportReport> {
    const report: ImportReport = { imported: 0, rejected: [], productIds: [] };
    const categories = new Map<string, string | null>();
    const batch: PendingRow[] = [];
    let header: string[] | undefined;
    let rows = 0;
    for await (const record of readRecords(body, format === 'csv', IMPORT_LIMITS.maxRowBytes)) {
      if (record.text !== undefined && record.text.trim() === '') continue;
      if (format === 'csv' && !header) {
        header = parseHeader(record);
        continue;
      }
      if (++rows > IMPORT_LIMITS.maxRows) {
        const reason = `An import holds at most ${IMPORT_LIMITS.maxRows} rows; this line and the rest were not read`;
        report.rejected.push({ line: record.line, errors: [reason] });
        break;
      }
      const parsed =
        record.text === undefined
          ? `The row is longer than ${IMPORT_LIMITS.maxRowBytes} bytes`
          : format === 'csv'
            ? csvFields(record.text, header ?? [])
            : jsonFields(record.text);
      const input =
        typeof parsed === 'string' ? [parsed] : await this.prepare(parsed, check, categories);
      if (Array.isArray(input)) {
        report.rejected.push({ line: record.line, errors: input });
        continue;
      }
      const keys = uniqueKeys(input);
      // Rows that claim the same slug or SKU never run together, so the earlier line wins.
      if (
        batch.length === IMPORT_LIMITS.concurrentRows ||
        batch.some((row) => row.keys.some((k) => keys.includes(k)))
      ) {
        await this.create(batch.splice(0), report);
      }
      batch.push({ line: record.line, input, keys });
    }
    await this.create(batch, report);
    if (rows === 0) throw new InvalidInputError('catalog.import_empty', 'The import holds no rows');
    report.rejected.sort((a, b) => a.line - b.line);
    return report;
  }

  /** The row's input for createIn, or why it is rejected. */
  private async prepare(
    fields: Record<string, unknown>,
    check: RowCheck,
    categories: Map<string, string | null>,
  ): Promise<CreateProductInput | string[]> {
    const checked = await check(fields);
    if (!checked.ok) return checked.errors;
    const { categorySlug, ...input } = checked.row;
    if (categorySlug !== undefined) {
      if (input.categoryId) return ['Give categoryId or categorySlug, not both'];
      input.categoryId = await this.categoryIdOf(categorySlug, categories);
      if (!input.categoryId) return [`No category has the slug "${categorySlug}"`];
    }
    return input;
  }

  /**
   * Creates the rows side by side, one transaction each: commits of concurrent transactions
   * share their WAL flushes, which one row after another would each wait for.
   */
  private async create(rows: PendingRow[], report: ImportReport): Promise<void> {
    const results = await Promise.allSettled(
      rows.map((row) => this.products.createIn(null, row.input)),
    );
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        report.productIds.push(result.value);
        report.imported++;
      } else if (result.reason instanceof DomainError) {
        // Conflicts and missing references are the row's fault.
        report.rejected.push({ line: rows[i].line, errors: [result.reason.message] });
      }
    });
    // Anything else (the database gone, a bug) stops the import, once no row is in flight.
    const failed = results.find(
      (r) => r.status === 'rejected' && !(r.reason instanceof DomainError),
    );
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async categoryIdOf(slug: string, known: Map<string, string | null>) {
    if (!known.has(slug)) {
      // dataSource.query runs on the primary: a category created just before the import may not
      // have reached a replica yet.
      const rows = (await this.dataSource.query(
        'SELECT id FROM catalog.categories WHERE slug = $1',
        [slug],
      )) as { id: string }[];
      known.set(slug, rows[0]?.id ?? null);
    }
    return known.get(slug) ?? null;
  }
}

/** The slug and SKUs a row will take (a slug left out is made from the name). */
function uniqueKeys(input: CreateProductInput): string[] {
  const skus = [input.sku, ...(input.variants ?? []).map((v) => v.sku)];
  return [
    `slug:${input.slug ?? slugify(input.name)}`,
    ...skus.filter((sku) => sku !== undefined).map((sku) => `sku:${sku}`),
  ];
}

/**
 * Splits the body into records at line feeds, keeping at most `maxBytes` of any one record (a
 * longer one is reported without its text), so memory stays bounded whatever the body holds.
 * With `quoted`, a line feed inside a double-quoted CSV field does not end the record.
 */
export async function* readRecords(
  body: AsyncIterable<Buffer>,
  quoted: boolean,
  maxBytes: number,
): AsyncGenerator<RawRecord> {
  let parts: Buffer[] = [];
  let size = 0;
  let line = 1;
  let start = 1;
  let inQuotes = false;
  const keep = (part: Buffer) => {
    size += part.length;
    if (size <= maxBytes) parts.push(part);
    else parts = [];
  };
  const take = (): RawRecord => {
    const record: RawRecord =
      size > maxBytes ? { line: start } : { line: start, text: decode(parts, start === 1) };
    parts = [];
    size = 0;
    start = line;
    return record;
  };
  for await (const chunk of body) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === QUOTE && quoted) inQuotes = !inQuotes;
      else if (byte === LF) {
        line++;
        if (inQuotes) continue;
        keep(chunk.subarray(from, i));
        from = i + 1;
        yield take();
      }
    }
    if (from < chunk.length) keep(chunk.subarray(from));
  }
  if (size > 0) yield take();
}

function decode(parts: Buffer[], first: boolean): string {
  let text = Buffer.concat(parts).toString('utf8');
  if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.endsWith('\r') ? text.slice(0, -1) : text;
}

function jsonFields(text: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    // JSON.parse keeps "__proto__" as a plain key, which class-transformer would then follow.
    value = JSON.parse(text, (key, v: unknown) => {
      if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not allowed');
      return v;
    });
  } catch (err) {
    return `Invalid JSON: ${(err as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'Each line must hold one JSON object';
  }
  return value as Record<string, unknown>;
}

function parseHeader(record: RawRecord): string[] {
  const cells = record.text === undefined ? 'The header is too long' : parseCsv(record.text);
  if (typeof cells === 'string') {
    throw new InvalidInputError('catalog.import_bad_header', `CSV header: ${cells}`);
  }
  const columns = cells.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => !CSV_COLUMNS.has(c));
  const missing = REQUIRED_CSV_COLUMNS.filter((c) => !columns.includes(c));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (unknown.length + missing.length + repeated.length > 0) {
    throw new InvalidInputError(
      'catalog.import_bad_header',
      `The CSV header must name columns among ${[...CSV_COLUMNS.keys()].join(',')}, with name and currency`,
      { unknown, missing, repeated },
    );
  }
  return columns;
}

function csvFields(text: string, header: string[]): Record<string, unknown> | string {
  const cells = parseCsv(text);
  if (typeof cells === 'string') return cells;
  if (cells.length !== header.length) {
    return `Expected ${header.length} fields as in the header, found ${cells.length}`;
  }
  const fields: Record<string, unknown> = {};
  header.forEach((column, i) => {
    const cell = cells[i];
    if (cell === '') return;
    // A non-integer price stays text so that validation reports it.
    fields[CSV_COLUMNS.get(column) ?? column] =
      column === 'price_minor' && /^-?\d{1,15}$/.test(cell) ? Number(cell) : cell;
  });
  return fields;
}

/** The fields of one CSV record (RFC 4180: quoted fields, "" for a quote), or what is wrong. */
export function parseCsv(text: string): string[] | string {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let cell = '';
      for (i++; ;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) return 'Unterminated quoted field';
        cell += text.slice(i, quote);
        i = quote + 1;
        if (text[i] !== '"') break;
        cell += '"';
        i++;
      }
      cells.push(cell);
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      const cell = text.slice(i, end);
      if (cell.includes('"')) return 'A quote inside an unquoted field';
      cells.push(cell);
      i = end;
    }
    if (i >= text.length) return cells;
    if (text[i] !== ',') return 'Unexpected text after a quoted field';
    i++;
  }
}
