import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { InvalidInputError } from '../../../platform/errors/common-errors.js';
import { DomainError } from '../../../platform/errors/domain-error.js';
import { slugify } from '../domain/slug.js';
import { csvFields, jsonFields, parseHeader, readRecords } from './import-records.js';
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
