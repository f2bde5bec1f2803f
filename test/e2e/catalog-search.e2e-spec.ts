import type pg from 'pg';
import { PageCursorCodec } from '../../src/modules/catalog/domain/page-cursor.js';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, createProduct, metric, type JsonResponse } from '../support/http.js';

interface Hit {
  product: { id: string; name: string; status: string };
  rank: number;
  matchedBy: 'fulltext' | 'similarity';
  highlight: { name: string; description: string };
}
interface SearchPage {
  items: Hit[];
  nextCursor: string | null;
}
interface Problem {
  status: number;
  code: string;
}

const CURSOR_SECRET = 'search-e2e-cursor-secret-0123456789abcdef';
const OPERATORS = `"a" | !b & (c <-> d) :* ''`;

/**
 * Shop search against real processes: products written through the admin API, search documents
 * built by the worker from catalog events, searches answered from the replica through the
 * response cache.
 */
describe('catalog: shop search', () => {
  let app: AppProcess;
  let db: pg.Pool;
  let token: string;
  const run = `search${Date.now().toString(36)}`;
  const ids: Record<string, string> = {};
  const widgets: string[] = [];

  const search = (query: Record<string, string>) =>
    api<SearchPage & Problem>(app.url, `/api/v1/search?${new URLSearchParams(query).toString()}`);
  const idsOf = (res: JsonResponse<SearchPage>) => res.body.items.map((h) => h.product.id);
  /** Waits for a search (on the replica, through the cache) to satisfy `check`. */
  const until = (query: Record<string, string>, check: (page: SearchPage) => void) =>
    eventually(async () => {
      const res = await search(query);
      expect(res.status).toBe(200);
      check(res.body);
      return res.body;
    });
  const category = async (name: string, parentId?: string) => {
    const res = await api<{ id: string; slug: string }>(app.url, '/api/v1/admin/categories', {
      method: 'POST',
      token,
      body: { name, slug: `${name.toLowerCase()}-${run}`, parentId },
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const patch = async (id: string, body: Record<string, unknown>) => {
    const res = await api(app.url, `/api/v1/admin/products/${id}`, {
      method: 'PATCH',
      token,
      body,
    });
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    db = primary();
    await db.query(`TRUNCATE catalog.variants, catalog.products, catalog.categories,
      catalog.product_documents, catalog.outbox, catalog.processed_events`);
    app = await AppProcess.start({
      ROLE: 'all',
      QUEUE_PREFIX: run,
      // The cache Redis is shared with other runs: keep this run's keys apart.
      CACHE_KEY_PREFIX: `${run}:cache`,
      CURSOR_SECRET,
    });
    token = await adminToken(app.url);
    const illumination = await category('Illumination');
    const workspace = await category('Workspace', illumination.id);
    const furnishings = await category('Furnishings');
    const make = async (key: string, fields: Record<string, unknown>) => {
      ids[key] = (await createProduct(app.url, token, fields)).id;
    };
    await make('desk', {
      name: 'Brass Desk Lamp',
      description: 'Weighted base and a warm glow for late reading.',
      sku: 'BDL-1001',
      categoryId: workspace.id,
    });
    await make('table', {
      name: 'Walnut Side Table',
      description: 'Solid walnut top, sized to hold a lamp beside the sofa.',
      sku: 'WST-2002',
      categoryId: furnishings.id,
    });
    await make('xss', {
      name: '<script>alert(1)</script> Lamp',
      description: 'A lamp that says <b>bold</b> things & "quotes".',
      sku: 'XSS-3003',
    });
    await make('lantern', {
      name: 'Storm Lantern',
      description: 'Hurricane-proof.',
      sku: 'STL-4004',
    });
    await make('gizmo', {
      name: 'Obsolete Gizmo',
      description: 'Does one thing.',
      sku: 'OBG-5005',
    });
    for (const letter of 'ABCDEFGHIJKL') {
      widgets.push(
        (
          await createProduct(app.url, token, {
            name: `Sprocket Widget ${letter}`,
            description: 'One of the paging set.',
            sku: `SPW-${letter}`,
          })
        ).id,
      );
    }
    await until({ q: 'sprocket', limit: '50' }, (page) => expect(page.items).toHaveLength(12));
    await until({ q: 'lantern' }, (page) => expect(page.items).toHaveLength(1));
  });

  afterAll(async () => {
    await app.stop();
    await db.end();
  });

  it('finds a product by a word of its name or description, its SKU and its category names', async () => {
    const first = async (query: Record<string, string>) => {
      const res = await search(query);
      expect(res.status).toBe(200);
      expect(res.body.items[0]?.matchedBy).toBe('fulltext');
      return idsOf(res);
    };
    expect(await first({ q: 'walnut' })).toEqual([ids.table]);
    expect(await first({ q: 'glow' })).toEqual([ids.desk]);
    expect(await first({ q: 'BDL-1001' })).toEqual([ids.desk]);
    expect(await first({ q: 'wst-2002' })).toEqual([ids.table]);
    // The desk lamp sits in Workspace, below Illumination: every name on the path counts.
    expect(await first({ q: 'illumination' })).toEqual([ids.desk]);
    expect(await first({ q: 'workspace' })).toEqual([ids.desk]);
    expect(await first({ q: 'furnishings' })).toEqual([ids.table]);
  });

  it('answers with one statement on the replica (begin, settings, search, commit)', async () => {
    await eventually(async () => {
      const replicaQueries = () =>
        metric(app.url, 'scaleshop_db_queries_total', { target: 'replica' });
      const before = await replicaQueries();
      const res = await search({ q: `desk lamp ${Math.random()}` });
      expect(res.headers.get('x-cache')).toBe('MISS');
      expect((await replicaQueries()) - before).toBe(4);
    });
  });

  it('ranks name matches above description-only matches, and filters by category subtree', async () => {
    const res = await search({ q: 'lamp' });
    expect(res.status).toBe(200);
    const found = idsOf(res);
    expect(found).toHaveLength(3);
    expect(found.slice(0, 2).sort()).toEqual([ids.desk, ids.xss].sort());
    expect(found[2]).toBe(ids.table);
    expect(res.body.items[0].rank).toBeGreaterThan(res.body.items[2].rank);
    expect(res.body.items.every((h) => h.matchedBy === 'fulltext')).toBe(true);

    const lit = await search({ q: 'lamp', category: `illumination-${run}` });
    expect(idsOf(lit)).toEqual([ids.desk]);
    expect(idsOf(await search({ q: 'lamp', category: `nowhere-${run}` }))).toEqual([]);
  });

  it('finds through typos by similarity: a wrong letter, a missing space, swapped letters', async () => {
    for (const q of ['lamb', 'desklamp', 'lmap', 'brass dsk lamb']) {
      const res = await search({ q });
      expect(res.status).toBe(200);
      const desk = res.body.items.find((h) => h.product.id === ids.desk);
      expect({ q, matchedBy: desk?.matchedBy }).toEqual({ q, matchedBy: 'similarity' });
    }
    // A typo-free match wins: similarity only fills a page that full-text left short.
    const exact = await search({ q: 'brass desk lamp' });
    expect(exact.body.items.map((h) => [h.product.id, h.matchedBy])).toEqual([
      [ids.desk, 'fulltext'],
    ]);
  });

  it('highlights matches in <mark> over HTML-escaped text', async () => {
    const res = await search({ q: 'lamp' });
    const byId = new Map(res.body.items.map((h) => [h.product.id, h]));
    expect(byId.get(ids.desk)?.highlight.name).toBe('Brass Desk <mark>Lamp</mark>');
    expect(byId.get(ids.table)?.highlight.description).toContain('<mark>lamp</mark>');
    const xss = byId.get(ids.xss);
    expect(xss?.product.name).toBe('<script>alert(1)</script> Lamp');
    expect(xss?.highlight.name).toBe('&lt;script&gt;alert(1)&lt;/script&gt; <mark>Lamp</mark>');
    expect(xss?.highlight.description).toContain(
      '<mark>lamp</mark> that says &lt;b&gt;bold&lt;/b&gt; things &amp; &quot;quotes',
    );
    const script = await search({ q: 'script alert' });
    for (const hit of [...res.body.items, ...script.body.items]) {
      const markup = `${hit.highlight.name} ${hit.highlight.description}`.replace(/<\/?mark>/g, '');
      expect(markup).not.toMatch(/[<>]/);
    }
    // Typo matches are highlighted with the corrected word.
    const typo = await search({ q: 'lmap' });
    const desk = typo.body.items.find((h) => h.product.id === ids.desk);
    expect(desk?.highlight.name).toBe('Brass Desk <mark>Lamp</mark>');
  });

  it('answers 400 problem+json for missing, blank, 10 KB and over-long text and a bad limit', async () => {
    const cases: Record<string, string>[] = [
      {},
      { q: '' },
      { q: '   ' },
      { q: '\u0000' },
      { q: 'x'.repeat(201) },
      { q: 'lamp '.repeat(2048) },
      { q: 'lamp', limit: '1000' },
      { q: 'lamp', limit: '0' },
      { q: 'lamp', limit: 'ten' },
      { q: 'lamp', sort: 'price' },
      { q: 'lamp', category: '../etc' },
    ];
    for (const query of cases) {
      const res = await search(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const multi = await api<Problem>(app.url, '/api/v1/search?q=lamp&q=desk');
    expect(multi.status).toBe(400);
  });

  it('answers 200, quickly, to text full of operators and punctuation', async () => {
    const texts = [
      OPERATORS,
      `'`,
      `''''`,
      '!!!',
      '-lamp',
      'lamp:*',
      '(((',
      '\\',
      '%_%',
      '<->',
      '&|!',
      '"unterminated',
      'lamp or',
      'or',
      '-',
      'the a an',
      '日本語',
      '🔦',
      'lamp\u0000lamp',
      `${OPERATORS} `.repeat(10).slice(0, 200),
    ];
    for (const q of texts) {
      const res = await search({ q });
      expect({ q, status: res.status }).toEqual({ q, status: 200 });
      expect(Array.isArray(res.body.items)).toBe(true);
    }
    // 200 characters of operators, each variant uncached: the best of three within 100 ms.
    const timings: number[] = [];
    for (const tail of ['|', '!', '&']) {
      const q = `${OPERATORS} `.repeat(10).slice(0, 199) + tail;
      const started = performance.now();
      const res = await search({ q });
      timings.push(performance.now() - started);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-cache')).toBe('MISS');
    }
    expect(Math.min(...timings)).toBeLessThan(100);
  });

  it('pages through results with a signed cursor: disjoint pages, then the end', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string> = { q: 'sprocket widget', limit: '5' };
      if (cursor) query.cursor = cursor;
      const res = await search(query);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(12);
    expect(new Set(seen)).toEqual(new Set(widgets));

    // Through the similarity fill too: one hit per page, none twice.
    const typoSeen: string[] = [];
    cursor = null;
    do {
      const query: Record<string, string> = { q: 'lamb', limit: '1' };
      if (cursor) query.cursor = cursor;
      const res = await search(query);
      typoSeen.push(...idsOf(res));
      cursor = res.body.nextCursor;
    } while (cursor && typoSeen.length < 20);
    expect(typoSeen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(typoSeen).size).toBe(typoSeen.length);
    expect(typoSeen).toContain(ids.desk);
  });

  it('refuses tampered, foreign and too-deep cursors with 400', async () => {
    const first = await search({ q: 'sprocket', limit: '5' });
    const cursor = first.body.nextCursor as string;
    const [body, signature] = cursor.split('.');
    const flipped = `${body}.${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    const list = await api<{ nextCursor: string }>(app.url, '/api/v1/products?limit=1');
    const deep = new PageCursorCodec(CURSOR_SECRET).encode({
      sort: 'relevance',
      key: 500,
      id: widgets[0],
    });
    const expectations: [string, string][] = [
      [flipped, 'catalog.invalid_cursor'],
      ['garbage', 'catalog.invalid_cursor'],
      [list.body.nextCursor, 'catalog.invalid_cursor'],
      [deep, 'catalog.search_too_deep'],
    ];
    for (const [bad, code] of expectations) {
      const res = await search({ q: 'sprocket', limit: '5', cursor: bad });
      expect({ status: res.status, code: res.body.code }).toEqual({ status: 400, code });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('never returns archived products, by full-text or by similarity', async () => {
    await patch(ids.lantern, { status: 'archived' });
    await until({ q: 'storm lantern' }, (page) => expect(page.items).toEqual([]));
    for (const q of ['lantern', 'lnatern', 'lanterm', 'STL-4004']) {
      const res = await search({ q });
      expect(idsOf(res)).not.toContain(ids.lantern);
    }
  });

  it('finds a renamed product by its new name once the worker has rebuilt its document', async () => {
    // Cached before the change: the rebuilt document must invalidate this answer.
    await eventually(async () => {
      const before = await search({ q: 'quantum toaster' });
      expect(before.body.items).toEqual([]);
      expect(before.headers.get('x-cache')).toBe('HIT');
    });

    await patch(ids.gizmo, { name: 'Quantum Toaster' });
    const page = await until({ q: 'quantum toaster' }, (p) =>
      expect(idsOf({ body: p } as JsonResponse<SearchPage>)).toEqual([ids.gizmo]),
    );
    expect(page.items[0].highlight.name).toBe('<mark>Quantum</mark> <mark>Toaster</mark>');
    await until({ q: 'obsolete gizmo' }, (p) => expect(p.items).toEqual([]));
  });
});
