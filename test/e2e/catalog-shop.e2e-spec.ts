import type pg from 'pg';
import { AppProcess } from '../support/app-process.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api } from '../support/http.js';

interface Variant {
  id: string;
  sku: string;
  options: Record<string, string>;
  priceMinor: number;
}
interface Product {
  id: string;
  slug: string;
  name: string;
  status: string;
  priceMinor: number;
  maxPriceMinor: number;
  images: string[];
  version: number;
  category: { id: string; slug: string; path: { slug: string }[] } | null;
  variants: Variant[];
}
interface Page {
  items: Product[];
  nextCursor: string | null;
}
interface Category {
  id: string;
  slug: string;
  path: string[];
}
interface TreeNode {
  slug: string;
  children: TreeNode[];
}
interface Problem {
  status: number;
  code: string;
}

/**
 * The catalog as a shop and its admins use it, against real processes: variants and prices, the
 * category tree, shop filters, sorts and keyset pages over the worker-built documents, and bad
 * input answered with 4xx.
 */
describe('catalog: model, admin API and shop reads', () => {
  let app: AppProcess;
  let db: pg.Pool;
  let token: string;
  const tag = Date.now().toString(36);

  const post = <T>(path: string, body: unknown) =>
    api<T>(app.url, path, { method: 'POST', token, body });
  const patch = <T>(path: string, body: unknown) =>
    api<T>(app.url, path, { method: 'PATCH', token, body });
  const shop = <T>(path: string) => api<T>(app.url, path);
  /** Waits until the worker has built the current version of each product's document. */
  const projected = (...ids: string[]) =>
    eventually(async () => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM catalog.products p JOIN catalog.product_documents d ON d.product_id = p.id
          WHERE p.id = ANY($1::uuid[]) AND d.source_version = p.version`,
        [ids],
      );
      expect(rows[0].n).toBe(ids.length);
    });
  const category = async (name: string, parentId?: string) => {
    const res = await post<Category>('/api/v1/admin/categories', {
      name,
      slug: `${name}-${tag}`,
      parentId,
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const product = async (body: Record<string, unknown>) => {
    const res = await post<Product>('/api/v1/admin/products', { currency: 'EUR', ...body });
    expect(res.status).toBe(201);
    return res.body;
  };

  let root: Category;
  let child: Category;
  let grandchild: Category;
  let other: Category;
  let cheap: Product;
  let mid: Product;
  let dear: Product;

  beforeAll(async () => {
    db = primary();
    // CACHE_ENABLED=false: these tests check the data, the cache has its own suite.
    app = await AppProcess.start({ ROLE: 'all', CACHE_ENABLED: 'false' });
    token = await adminToken(app.url);
    root = await category('apparel');
    child = await category('shirts', root.id);
    grandchild = await category('linen', child.id);
    other = await category('garden');
    cheap = await product({
      name: `Linen shirt ${tag}`,
      categoryId: grandchild.id,
      priceMinor: 1500,
    });
    mid = await product({
      name: `Oxford shirt ${tag}`,
      categoryId: child.id,
      images: ['https://img.example.com/oxford.jpg'],
      variants: [
        { sku: `OX-S-${tag}`, options: { size: 'S' }, priceMinor: 3000 },
        { sku: `OX-L-${tag}`, options: { size: 'L' }, priceMinor: 3500 },
      ],
    });
    dear = await product({ name: `Garden chair ${tag}`, categoryId: other.id, priceMinor: 9000 });
    await projected(cheap.id, mid.id, dear.id);
  });

  afterAll(async () => {
    await app.stop();
    await db.end();
  });

  describe('model', () => {
    it('stores variants with SKUs, options and prices, and the category path', async () => {
      const res = await api<Product>(app.url, `/api/v1/admin/products/${mid.id}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.variants.map((v) => [v.sku, v.options.size, v.priceMinor])).toEqual([
        [`OX-S-${tag}`, 'S', 3000],
        [`OX-L-${tag}`, 'L', 3500],
      ]);
      expect(res.body).toMatchObject({
        priceMinor: 3000,
        maxPriceMinor: 3500,
        slug: `oxford-shirt-${tag}`,
      });
      expect(res.body.images).toEqual(['https://img.example.com/oxford.jpg']);
      expect(res.body.category?.path.map((c) => c.slug)).toEqual([
        `apparel-${tag}`,
        `shirts-${tag}`,
      ]);
    });

    it('keeps SKUs and slugs unique; a generated slug that collides gets a suffix', async () => {
      const dupSku = await post<Problem>('/api/v1/admin/products', {
        name: 'Dup',
        currency: 'EUR',
        priceMinor: 1,
        sku: `OX-S-${tag}`,
      });
      expect(dupSku.status).toBe(409);
      expect(dupSku.body.code).toBe('catalog.sku_taken');
      const dupSlug = await post<Problem>('/api/v1/admin/products', {
        name: 'Other',
        slug: mid.slug,
        currency: 'EUR',
        priceMinor: 1,
      });
      expect(dupSlug.status).toBe(409);
      expect(dupSlug.body.code).toBe('catalog.slug_taken');
      const twin = await product({
        name: `Oxford shirt ${tag}`,
        priceMinor: 1,
        sku: `TWIN-${tag}`,
      });
      expect(twin.slug).toMatch(new RegExp(`^oxford-shirt-${tag}-[0-9a-f]{6}$`));
      // A rejected create leaves nothing behind.
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM catalog.products WHERE name = 'Dup'`,
      );
      expect(rows[0].n).toBe(0);
    });

    it('manages variants; the last one cannot go, and a product-level price needs a single variant', async () => {
      const added = await post<Product>(`/api/v1/admin/products/${cheap.id}/variants`, {
        sku: `LIN-XL-${tag}`,
        options: { size: 'XL' },
        priceMinor: 1800,
      });
      expect(added.status).toBe(201);
      expect(added.body.variants).toHaveLength(2);
      const ambiguous = await patch<Problem>(`/api/v1/admin/products/${cheap.id}`, {
        priceMinor: 10,
      });
      expect(ambiguous.status).toBe(422);
      expect(ambiguous.body.code).toBe('catalog.ambiguous_price');
      const xl = added.body.variants.find((v) => v.sku === `LIN-XL-${tag}`)!;
      const repriced = await patch<Product>(
        `/api/v1/admin/products/${cheap.id}/variants/${xl.id}`,
        { priceMinor: 1900 },
      );
      expect(repriced.body.maxPriceMinor).toBe(1900);
      const removed = await api<Product>(
        app.url,
        `/api/v1/admin/products/${cheap.id}/variants/${xl.id}`,
        {
          method: 'DELETE',
          token,
        },
      );
      expect(removed.body.variants).toHaveLength(1);
      const last = await api<Problem>(
        app.url,
        `/api/v1/admin/products/${cheap.id}/variants/${removed.body.variants[0].id}`,
        {
          method: 'DELETE',
          token,
        },
      );
      expect(last.status).toBe(422);
      expect(last.body.code).toBe('catalog.last_variant');
      // Each change went through the outbox.
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM catalog.outbox WHERE payload->>'productId' = $1`,
        [cheap.id],
      );
      expect(rows[0].n).toBe(4); // created, variant added, repriced, removed
    });
  });

  describe('category tree', () => {
    it('serves the tree at any depth', async () => {
      const res = await shop<TreeNode[]>('/api/v1/categories');
      const apparel = res.body.find((n) => n.slug === `apparel-${tag}`);
      expect(apparel?.children[0]?.slug).toBe(`shirts-${tag}`);
      expect(apparel?.children[0]?.children[0]?.slug).toBe(`linen-${tag}`);
    });

    it('moves a subtree and rebuilds the documents below it; refuses cycles', async () => {
      const cycle = await patch<Problem>(`/api/v1/admin/categories/${root.id}`, {
        parentId: grandchild.id,
      });
      expect(cycle.status).toBe(422);
      expect(cycle.body.code).toBe('catalog.category_cycle');
      const missing = await patch<Problem>(`/api/v1/admin/categories/${child.id}`, {
        parentId: '00000000-0000-4000-8000-000000000000',
      });
      expect(missing.status).toBe(404);

      const moved = await patch<Category>(`/api/v1/admin/categories/${child.id}`, {
        parentId: other.id,
      });
      expect(moved.body.path).toEqual([other.id, child.id]);
      const { rows } = await db.query<{ path: string[] }>(
        'SELECT path FROM catalog.categories WHERE id = $1',
        [grandchild.id],
      );
      expect(rows[0].path).toEqual([other.id, child.id, grandchild.id]);
      await eventually(async () => {
        const res = await shop<Product>(`/api/v1/products/${cheap.id}`);
        expect(res.body.category?.path.map((c) => c.slug)).toEqual([
          `garden-${tag}`,
          `shirts-${tag}`,
          `linen-${tag}`,
        ]);
      });
      // Back where it was, for the filter tests.
      await patch(`/api/v1/admin/categories/${child.id}`, { parentId: root.id });
      await eventually(async () => {
        const res = await shop<Page>(`/api/v1/products?category=apparel-${tag}`);
        expect(res.body.items.map((p) => p.id).sort()).toEqual([cheap.id, mid.id].sort());
      });
    });
  });

  describe('shop list', () => {
    it('filters by category including sub-categories, and by price range', async () => {
      const ids = async (query: string) =>
        (await shop<Page>(`/api/v1/products?${query}`)).body.items.map((p) => p.id);
      expect((await ids(`category=apparel-${tag}`)).sort()).toEqual([cheap.id, mid.id].sort());
      expect(await ids(`category=linen-${tag}`)).toEqual([cheap.id]);
      expect(await ids(`category=garden-${tag}`)).toEqual([dear.id]);
      expect(await ids(`category=nothing-here-${tag}`)).toEqual([]);
      const ranged = await ids(`category=apparel-${tag}&priceMin=2000&priceMax=5000`);
      expect(ranged).toEqual([mid.id]);
      expect(await ids(`category=garden-${tag}&inStock=true`)).toEqual([dear.id]);
    });

    it('sorts by price both ways and by newest', async () => {
      const order = async (sort: string) =>
        (await shop<Page>(`/api/v1/products?limit=100&sort=${sort}`)).body.items.map(
          (p) => p.priceMinor,
        );
      const asc = await order('price_asc');
      expect(asc).toEqual([...asc].sort((x, y) => x - y));
      const desc = await order('price_desc');
      expect(desc).toEqual([...desc].sort((x, y) => y - x));
      const newest = (await shop<Page>(`/api/v1/products?limit=3`)).body.items;
      expect(newest.length).toBe(3);
    });

    it('pages with a keyset cursor that stays stable while products are added', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      let late: Product | undefined;
      do {
        const res: { body: Page } = await shop<Page>(
          `/api/v1/products?limit=1&sort=price_asc&category=apparel-${tag}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        seen.push(...res.body.items.map((p) => p.id));
        cursor = res.body.nextCursor;
        if (pages === 0) {
          // Inserted mid-walk: one cheaper than the cursor (must not show up later nor shift
          // what follows), one dearer than everything (must show up at the end).
          const early = await product({
            name: `Early ${tag}`,
            priceMinor: 0,
            sku: `EARLY-${tag}`,
            categoryId: child.id,
          });
          late = await product({
            name: `Late ${tag}`,
            priceMinor: 99_999,
            sku: `LATE-${tag}`,
            categoryId: child.id,
          });
          await projected(early.id, late.id);
        }
        pages++;
      } while (cursor && pages < 20);
      expect(seen).toEqual([cheap.id, mid.id, late?.id]);
    });

    it('answers detail by id and by slug, and hides archived products from the shop only', async () => {
      expect((await shop<Product>(`/api/v1/products/${dear.id}`)).body.name).toBe(
        `Garden chair ${tag}`,
      );
      expect((await shop<Product>(`/api/v1/products/by-slug/${dear.slug}`)).body.id).toBe(dear.id);
      const archived = await api<Product>(app.url, `/api/v1/admin/products/${dear.id}`, {
        method: 'DELETE',
        token,
      });
      expect(archived.body.status).toBe('archived');
      await eventually(async () =>
        expect((await shop(`/api/v1/products/${dear.id}`)).status).toBe(404),
      );
      expect((await shop(`/api/v1/products/by-slug/${dear.slug}`)).status).toBe(404);
      expect((await shop<Page>(`/api/v1/products?category=garden-${tag}`)).body.items).toEqual([]);
      expect((await api(app.url, `/api/v1/admin/products/${dear.id}`, { token })).status).toBe(200);
    });
  });

  describe('bad input gets a clear 4xx', () => {
    it.each([
      ['absurd page size', '/api/v1/products?limit=100000', 400],
      ['zero page size', '/api/v1/products?limit=0', 400],
      ['non-numeric page size', '/api/v1/products?limit=abc', 400],
      ['negative price filter', '/api/v1/products?priceMin=-5', 400],
      ['unknown sort', '/api/v1/products?sort=random', 400],
      ['unknown query field', '/api/v1/products?evil=1', 400],
      ['garbage cursor', '/api/v1/products?cursor=abc', 400],
      ['overlong cursor', `/api/v1/products?cursor=${'a'.repeat(5_000)}`, 400],
      ['bad category slug', '/api/v1/products?category=%27%3B%20DROP%20TABLE', 400],
      ['non-uuid id', '/api/v1/products/123', 400],
    ])('%s', async (_name, path, status) => {
      const res = await shop<Problem>(path);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    });

    it('rejects a tampered cursor and one from another sort order', async () => {
      const first = await shop<Page>('/api/v1/products?limit=1&sort=price_asc');
      const cursor = first.body.nextCursor!;
      const [body, sig] = cursor.split('.');
      const forged = `${Buffer.from(
        Buffer.from(body, 'base64url')
          .toString()
          .replace(/\.(\d+)\./, (_m, key: string) => `.${Number(key) + 1}.`),
      ).toString('base64url')}.${sig}`;
      const tampered = await shop<Problem>(
        `/api/v1/products?sort=price_asc&cursor=${encodeURIComponent(forged)}`,
      );
      expect(tampered.status).toBe(400);
      expect(tampered.body.code).toBe('catalog.invalid_cursor');
      const crossSort = await shop<Problem>(
        `/api/v1/products?sort=newest&cursor=${encodeURIComponent(cursor)}`,
      );
      expect(crossSort.status).toBe(400);
    });

    it.each([
      ['negative price', { name: 'x', currency: 'EUR', priceMinor: -1 }],
      ['price not an integer', { name: 'x', currency: 'EUR', priceMinor: 1.5 }],
      ['wrong type', { name: 'x', currency: 'EUR', priceMinor: 'ten' }],
      ['unknown field', { name: 'x', currency: 'EUR', priceMinor: 1, costPrice: 1 }],
      ['bad currency', { name: 'x', currency: 'euro', priceMinor: 1 }],
      [
        'bad image URL',
        { name: 'x', currency: 'EUR', priceMinor: 1, images: ['javascript:alert(1)'] },
      ],
      ['negative variant price', { name: 'x', currency: 'EUR', variants: [{ priceMinor: -2 }] }],
      ['bad category id', { name: 'x', currency: 'EUR', priceMinor: 1, categoryId: 'nope' }],
    ])('admin create: %s → 400', async (_name, body) => {
      const res = await post<Problem>('/api/v1/admin/products', body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('request.invalid');
    });

    it('admin create with an unknown category → 404, nothing written', async () => {
      const res = await post<Problem>('/api/v1/admin/products', {
        name: `Orphan ${tag}`,
        currency: 'EUR',
        priceMinor: 1,
        categoryId: '00000000-0000-4000-8000-000000000000',
      });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('catalog.category_not_found');
      const { rows } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM catalog.products WHERE name = $1',
        [`Orphan ${tag}`],
      );
      expect(rows[0].n).toBe(0);
    });
  });
});
