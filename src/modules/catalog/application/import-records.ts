/**
 * Reading an import body: splitting it into records with bounded memory, and turning NDJSON and
 * CSV records into plain field objects. No Nest, no database.
 */
import { InvalidInputError } from '../../../platform/errors/common-errors.js';
/** A record of the body: its text, or none when it was longer than the limit (not kept). */
export interface RawRecord {
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

export function jsonFields(text: string): Record<string, unknown> | string {
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

export function parseHeader(record: RawRecord): string[] {
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

export function csvFields(text: string, header: string[]): Record<string, unknown> | string {
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
