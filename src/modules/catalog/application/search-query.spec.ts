import { InvalidInputError } from '../../../platform/errors/common-errors.js';
import { InvalidCursorError } from '../domain/catalog.errors.js';
import {
  MAX_SEARCH_RESULTS,
  normalizeSearchText,
  searchSql,
  searchWindow,
  typoVariantsQuery,
} from './search-query.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('normalizeSearchText', () => {
  it('trims, collapses whitespace and drops control characters PostgreSQL would refuse', () => {
    expect(normalizeSearchText('  desk \t\n lamp  ')).toBe('desk lamp');
    expect(normalizeSearchText('desk\u0000lamp\u0007')).toBe('desk lamp');
  });

  it('refuses empty, blank and over-long text, counting characters rather than UTF-16 units', () => {
    for (const raw of ['', '   ', '\u0000\u0001', 'x'.repeat(201), 'x'.repeat(10_240)]) {
      expect(() => normalizeSearchText(raw)).toThrow(InvalidInputError);
    }
    expect(codeOf(() => normalizeSearchText(''))).toBe('catalog.search_text_invalid');
    expect(normalizeSearchText('x'.repeat(200))).toHaveLength(200);
    expect([...normalizeSearchText('🔦'.repeat(200))]).toHaveLength(200);
  });
});

describe('searchWindow', () => {
  it('defaults to 20, clamps to 1..50 and fetches one row more than the page', () => {
    expect(searchWindow(undefined, 0)).toEqual({ offset: 0, limit: 20, fetch: 21 });
    expect(searchWindow(1000, 0).limit).toBe(50);
    expect(searchWindow(0, 0).limit).toBe(1);
    expect(searchWindow(10, 40)).toEqual({ offset: 40, limit: 10, fetch: 51 });
  });

  it(`never pages past result ${MAX_SEARCH_RESULTS}`, () => {
    expect(searchWindow(50, 480)).toEqual({ offset: 480, limit: 20, fetch: 501 });
    expect(codeOf(() => searchWindow(20, MAX_SEARCH_RESULTS))).toBe('catalog.search_too_deep');
    expect(codeOf(() => searchWindow(20, 10_000))).toBe('catalog.search_too_deep');
  });

  it('refuses an offset no cursor of ours carries', () => {
    for (const offset of [-1, 1.5, Number.NaN, Number.MAX_VALUE]) {
      expect(() => searchWindow(20, offset)).toThrow(InvalidCursorError);
    }
  });
});

describe('typoVariantsQuery', () => {
  it('offers every adjacent transposition of each word, not the word itself', () => {
    expect(typoVariantsQuery('lmap').split(' | ').sort()).toEqual(['lamp', 'lmpa', 'mlap']);
    expect(typoVariantsQuery('Brass LMAP')).toContain('lamp');
    expect(typoVariantsQuery('brass').split(' | ')).not.toContain('brass');
  });

  it('leaves out short words and everything that is not a letter or a digit', () => {
    expect(typoVariantsQuery('"a" | !b & (c <-> d) :* \'\'')).toBe('');
    expect(typoVariantsQuery('!!! ::: <->')).toBe('');
    const alphabet = [
      'lamp',
      'ab',
      '|',
      '&',
      '!',
      ':*',
      '(',
      ')',
      "'",
      '"',
      '\\',
      '<->',
      'é',
      '日本語',
    ];
    for (let i = 0; i < 200; i++) {
      const text = Array.from(
        { length: 30 },
        (_, j) => alphabet[(i * 7 + j * 13) % alphabet.length],
      ).join(i % 2 ? ' ' : '');
      // Only words joined by " | ": nothing to_tsquery could read as an operator of the user's.
      expect(typoVariantsQuery(text)).toMatch(/^([\p{L}\p{N}]+( \| [\p{L}\p{N}]+)*)?$/u);
    }
  });

  it('looks at the first eight words only', () => {
    const text = Array.from({ length: 20 }, (_, i) => `word${String.fromCharCode(97 + i)}`).join(
      ' ',
    );
    const variants = typoVariantsQuery(text).split(' | ');
    expect(variants).toContain('wrodh');
    expect(variants.some((v) => v.endsWith('i'))).toBe(false);
  });
});

describe('searchSql', () => {
  it('binds the category only when filtering by one', () => {
    expect(searchSql(true)).toContain('slug = $6');
    expect(searchSql(false)).not.toContain('$6');
  });
});
