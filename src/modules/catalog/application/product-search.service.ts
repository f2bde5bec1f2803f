import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { PageCursorCodec } from '../domain/page-cursor.js';
import type { ProductView } from './product-views.js';
import {
  MAX_SEARCH_RESULTS,
  normalizeSearchText,
  SEARCH_CURSOR_SORT,
  SEARCH_SETTINGS_SQL,
  searchSql,
  searchWindow,
  typoVariantsQuery,
} from './search-query.js';

export interface SearchRequest {
  q: string;
  limit?: number;
  cursor?: string;
  /** Category slug: the category and everything below it. */
  category?: string;
}

/** How a hit was found: the full-text query, or the typo-tolerant similarity fallback. */
export type SearchMatch = 'fulltext' | 'similarity';

export interface SearchHit {
  product: ProductView;
  /** 0..1; comparable among hits of the same `matchedBy` only. */
  rank: number;
  matchedBy: SearchMatch;
  /** HTML-escaped text where the only markup is <mark> around matched words. */
  highlight: { name: string; description: string };
}

export interface SearchPage {
  items: SearchHit[];
  nextCursor: string | null;
}

interface SearchRow {
  product_id: string;
  rank: number;
  matched_by: SearchMatch;
  ranked: number;
  document: ProductView;
  name_highlight: string;
  description_highlight: string;
}

/**
 * Shop search over the product documents (which the worker keeps fresh from catalog events): one
 * statement per page on a replica, full-text first, then a typo-tolerant fill; see searchSql.
 */
@Injectable()
export class ProductSearchService {
  private readonly cursors: PageCursorCodec;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cursors = new PageCursorCodec(config.cursorSecret);
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    const text = normalizeSearchText(request.q);
    const offset = request.cursor ? this.cursors.decode(request.cursor, SEARCH_CURSOR_SORT).key : 0;
    const window = searchWindow(request.limit, offset);
    const params: unknown[] = [text, typoVariantsQuery(text), window.fetch, window.limit, offset];
    if (request.category !== undefined) params.push(request.category);
    const rows = await this.readWithSearchSettings<SearchRow>(
      searchSql(request.category !== undefined),
      params,
    );
    const last = rows[rows.length - 1];
    const end = offset + rows.length;
    const more = rows.length > 0 && rows[0].ranked > offset + window.limit;
    return {
      items: rows.map((r) => ({
        product: r.document,
        rank: r.rank,
        matchedBy: r.matched_by,
        highlight: { name: r.name_highlight, description: r.description_highlight },
      })),
      nextCursor:
        more && last && end < MAX_SEARCH_RESULTS
          ? this.cursors.encode({ sort: SEARCH_CURSOR_SORT, key: end, id: last.product_id })
          : null,
    };
  }

  /**
   * Runs the statement on a replica inside a transaction: only so can SEARCH_SETTINGS_SQL apply
   * to this statement alone (a plain SET would stay on the pooled connection). A hot standby
   * accepts read-only transactions, so this costs three short round trips (begin, settings,
   * commit), not a trip to the primary.
   */
  private async readWithSearchSettings<T>(sql: string, params: unknown[]): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      await runner.startTransaction();
      try {
        await runner.query(SEARCH_SETTINGS_SQL);
        const rows = (await runner.query(sql, params)) as T[];
        await runner.commitTransaction();
        return rows;
      } catch (err) {
        // The statement's error is the one to report. ROLLBACK only fails on a broken
        // connection, and TypeORM hands a connection that errored back to the pool as broken.
        await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await runner.release();
    }
  }
}
