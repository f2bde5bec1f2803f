import { InvalidInputError } from '../../../platform/errors/common-errors.js';
import { InvalidCursorError } from '../domain/catalog.errors.js';

/** Longest search text accepted (after trimming), in characters. */
export const MAX_SEARCH_TEXT_LENGTH = 200;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 50;
/** Paging stops here: deeper results are refused, the caller should refine the search. */
export const MAX_SEARCH_RESULTS = 500;
/** The sort name search cursors are signed with, so a list cursor is refused here. */
export const SEARCH_CURSOR_SORT = 'relevance';

/**
 * pg_trgm word similarity a product's name + SKUs must reach for the typo fallback. Measured on
 * "brass desk lamp bdl-001": "lamb" 0.60, "desklamp" 0.58, "brass lamb" 0.56, "dsk lamp" 0.67,
 * while the unrelated "blue" scores 0.20. The default of 0.6 loses the missing-space and
 * two-word cases; the plain `%` operator (whole-string similarity, default 0.3) loses all of them
 * because a short query is compared with the whole name (0.12 for "lamb").
 */
export const WORD_SIMILARITY_THRESHOLD = 0.5;

/**
 * Most matches one query ranks per kind of match; fewer for a long query, so that matches times
 * query terms stays under RANKING_BUDGET. Ranking is per row: without a cap, a query matching
 * most of the catalogue costs time in proportion to the catalogue (an OR of 11 common words took
 * 3.8 s over 100k documents, 50 ms capped). Beyond the cap, relevance is judged among the first
 * matches found, which is what a query that broad deserves.
 */
export const MAX_RANKED_CANDIDATES = 2000;
const RANKING_BUDGET = 16_000;

/** At most this many words of a query get typo variants (bounds the size of the tsquery). */
const MAX_TYPO_WORDS = 8;
const TYPO_WORD_LENGTH = { min: 4, max: 20 };

/**
 * Settings of the search transaction (is_local: they end with it, never stay on the pooled
 * connection). Besides the trigram threshold, it allows bitmap scans only: the planner misjudges
 * how many rows an OR of rare words (the typo variants) matches and then walks the whole
 * newest-first index or the table hoping to fill the LIMIT early (730 ms instead of 5 ms over
 * 100k documents). Bitmap scans without parallel workers also yield capped candidates in the same
 * order on every request, which offset paging relies on.
 */
export const SEARCH_SETTINGS_SQL = `SELECT
  set_config('pg_trgm.word_similarity_threshold', '${WORD_SIMILARITY_THRESHOLD}', true),
  set_config('enable_seqscan', 'off', true),
  set_config('enable_indexscan', 'off', true),
  set_config('max_parallel_workers_per_gather', '0', true)`;

/**
 * The search text as it will be queried: control characters (PostgreSQL refuses NUL in text)
 * and runs of whitespace become one space, ends trimmed. Refuses empty and over-long text.
 */
export function normalizeSearchText(raw: string): string {
  const text = raw.replace(/[\s\p{Cc}\p{Cs}]+/gu, ' ').trim();
  const length = [...text].length;
  if (length === 0 || length > MAX_SEARCH_TEXT_LENGTH) {
    throw new InvalidInputError(
      'catalog.search_text_invalid',
      `The search text must be 1 to ${MAX_SEARCH_TEXT_LENGTH} characters long`,
      { maxLength: MAX_SEARCH_TEXT_LENGTH },
    );
  }
  return text;
}

/** Which slice of the ranked results a page is, and how many rows the query must rank. */
export interface SearchWindow {
  offset: number;
  limit: number;
  /** offset + limit + 1: one row more than the page tells whether another page exists. */
  fetch: number;
}

/**
 * The page at `offset` (from a cursor). Offset paging is used because relevance order has no
 * stable keyset: a rank is a float computed per query, ties are common and a product's rank
 * moves with its text, so "after (rank, id)" would skip or repeat rows as often as an offset.
 * Its cost grows with the offset (every earlier row is ranked again), hence the hard cap.
 */
export function searchWindow(limit: number | undefined, offset: number): SearchWindow {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new InvalidCursorError();
  if (offset >= MAX_SEARCH_RESULTS) {
    throw new InvalidInputError(
      'catalog.search_too_deep',
      `Only the first ${MAX_SEARCH_RESULTS} results can be paged through; refine the search`,
      { maxResults: MAX_SEARCH_RESULTS },
    );
  }
  const wanted = Math.min(Math.max(Math.trunc(limit ?? DEFAULT_SEARCH_LIMIT), 1), MAX_SEARCH_LIMIT);
  const size = Math.min(wanted, MAX_SEARCH_RESULTS - offset);
  return { offset, limit: size, fetch: offset + size + 1 };
}

/**
 * A to_tsquery text matching any adjacent-letter transposition of the query's words ("lmap" →
 * lamp), the typo trigrams cannot see: "lmap" and "lamp" share one trigram of five. Only letters
 * and digits reach it, so it has no operator a user wrote. Words shorter than four letters get no
 * variants (their transpositions are mostly other real words). Empty when nothing qualifies.
 */
export function typoVariantsQuery(text: string): string {
  const words = (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, MAX_TYPO_WORDS);
  const variants = new Set<string>();
  for (const word of words) {
    const letters = [...word];
    if (letters.length < TYPO_WORD_LENGTH.min || letters.length > TYPO_WORD_LENGTH.max) continue;
    for (let i = 0; i + 1 < letters.length; i++) {
      if (letters[i] === letters[i + 1]) continue;
      const swapped = [...letters];
      [swapped[i], swapped[i + 1]] = [letters[i + 1], letters[i]];
      variants.add(swapped.join(''));
    }
  }
  for (const word of words) variants.delete(word);
  return [...variants].join(' | ');
}

const escapeHtml = (expr: string) =>
  `replace(replace(replace(replace(replace(${expr}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')`;

/**
 * One statement per page, run with SEARCH_SETTINGS_SQL. Parameters: $1 search text, $2 typo
 * variants (typoVariantsQuery), $3 rows to rank per kind of match (window.fetch), $4 page size,
 * $5 offset, $6 category slug when `withCategory`.
 *
 * Full-text hits come first, by ts_rank_cd (normalisation 32: rank/(rank+1)). A query that is
 * empty or has nothing an index can look up (only stop words, only negations) skips that scan.
 * Only when full-text finds fewer hits than a page holds, the others are filled with products
 * whose name + SKUs are similar to the text (pg_trgm `%>`: word_similarity through
 * product_documents_search_text_trgm) or that contain a transposed query word; they rank by
 * word similarity. Since full-text then had fewer hits than a page, every one of them is in
 * `fulltext_hits` and excluding those ids excludes them all. (So whether the fill is part of the
 * results depends on the page size: a client pages with the limit it started with.) Highlights
 * are computed for the page only, over HTML-escaped text, so that the only markup in them is our
 * <mark>; a similarity hit is highlighted with the transposed words.
 */
export function searchSql(withCategory: boolean): string {
  const active = `d.status = 'active'${
    withCategory
      ? ` AND d.category_ids @> ARRAY[(SELECT id FROM catalog.categories WHERE slug = $6)]`
      : ''
  }`;
  // Written out rather than computed once in a CTE: as constants (immutable functions of the
  // parameters) the planner folds them and estimates from the column statistics what matches.
  const query = `(websearch_to_tsquery('english', $1) || websearch_to_tsquery('simple', $1))`;
  const typos = `(to_tsquery('english', $2) || to_tsquery('simple', $2))`;
  const cap = (tsquery: string) =>
    `LIMIT least(${MAX_RANKED_CANDIDATES}, ${RANKING_BUDGET} / greatest(numnode(${tsquery}), 1))`;
  const fill = `(SELECT count(*) FROM fulltext_hits) < $4`;
  return `
WITH fulltext_hits AS MATERIALIZED (
  SELECT c.product_id, ts_rank_cd(c.search, ${query}, 32) AS rank
    FROM (SELECT d.product_id, d.search FROM catalog.product_documents d
           WHERE numnode(${query}) > 0 AND querytree(${query}) <> 'T'
             AND d.search @@ ${query} AND ${active}
           ${cap(query)}) c
   ORDER BY rank DESC, c.product_id
   LIMIT $3
),
similar_candidates AS (
  (SELECT d.product_id, d.search_text FROM catalog.product_documents d
    WHERE ${fill} AND cardinality(show_trgm($1)) > 0
      AND d.search_text %> $1 AND ${active}
    LIMIT ${MAX_RANKED_CANDIDATES})
  UNION
  (SELECT d.product_id, d.search_text FROM catalog.product_documents d
    WHERE ${fill} AND numnode(${typos}) > 0
      AND d.search @@ ${typos} AND ${active}
    ${cap(typos)})
),
similar_hits AS MATERIALIZED (
  SELECT c.product_id, word_similarity($1, c.search_text) AS rank
    FROM similar_candidates c
   WHERE c.product_id NOT IN (SELECT product_id FROM fulltext_hits)
   ORDER BY rank DESC, c.product_id
   LIMIT $3
),
hits AS (
  SELECT product_id, rank, 0 AS phase FROM fulltext_hits
  UNION ALL
  SELECT product_id, rank, 1 AS phase FROM similar_hits
),
page AS (
  SELECT * FROM hits ORDER BY phase, rank DESC, product_id OFFSET $5 LIMIT $4
)
SELECT p.product_id, p.rank,
       CASE p.phase WHEN 0 THEN 'fulltext' ELSE 'similarity' END AS matched_by,
       (SELECT count(*) FROM hits)::int AS ranked,
       d.document,
       ts_headline('english', ${escapeHtml(`d.document->>'name'`)}, m.query,
                   'StartSel=<mark>, StopSel=</mark>, HighlightAll=true') AS name_highlight,
       ts_headline('english', ${escapeHtml(`d.document->>'description'`)}, m.query,
                   'StartSel=<mark>, StopSel=</mark>, MaxFragments=1, MaxWords=20, MinWords=10')
         AS description_highlight
  FROM page p
  JOIN catalog.product_documents d USING (product_id)
  CROSS JOIN LATERAL (SELECT CASE p.phase WHEN 0 THEN ${query} ELSE ${typos} END AS query) m
 ORDER BY p.phase, p.rank DESC, p.product_id`;
}
