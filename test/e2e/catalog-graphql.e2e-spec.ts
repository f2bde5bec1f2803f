import { AppProcess } from '../support/app-process.js';
import { primary, replica } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { adminToken, api, metric, newCustomer } from '../support/http.js';
import { waitForReplayCatchUp } from '../support/replica-control.js';

interface GraphqlBody<T> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; cost?: number; limit?: number; errors?: string[] };
  }[];
}
interface Variant {
  id: string;
  sku: string;
  priceMinor: number;
  options: Record<string, string>;
}
interface Crumb {
  id: string;
  slug: string;
  name: string;
}
interface RestProduct {
  id: string;
  name: string;
  priceMinor: number;
  variants: Variant[];
  category: (Crumb & { path: Crumb[] }) | null;
}
interface GqlCategory {
  id: string;
  name: string;
  parent: { name: string; parent: { name: string } | null } | null;
  path: { name: string }[];
}
interface GqlProduct {
  id: string;
  name: string;
  priceMinor: number;
  variants: Variant[];
  category: GqlCategory | null;
}
interface Page {
  products: { items: GqlProduct[] };
}
interface TreeNode {
  slug: string;
  children: TreeNode[];
  parent?: { slug: string } | null;
}

/** A V8 stack frame or a path into the dependencies. */
const LEAK = /\bat \S+ \(|\bat (file:|\/)|\.[cm]?js:\d+:\d+|node_modules/;

const PAGE = `query Page($first: Int!) {
  products(first: $first) {
    items {
      id name priceMinor
      variants { id sku priceMinor options }
      category { id name parent { name parent { name } } path { name } }
    }
  }
}`;

function graphql<T>(
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
) {
  return api<GraphqlBody<T>>(base, '/graphql', {
    method: 'POST',
    token,
    body: { query, variables },
  });
}

/** Data of a GraphQL answer that must have succeeded. */
async function data<T>(
  base: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const res = await graphql<T>(base, query, variables, token);
  if (res.body.errors || !res.body.data) {
    throw new Error(`GraphQL failed (${res.status}): ${JSON.stringify(res.body)}`);
  }
  return res.body.data;
}

/** SQL statements (primary + replica) the process ran while `work` ran. */
async function statementsDuring(base: string, work: () => Promise<unknown>): Promise<number> {
  const before = await metric(base, 'scaleshop_db_queries_total');
  await work();
  return (await metric(base, 'scaleshop_db_queries_total')) - before;
}

const variantKey = (v: Variant) => ({
  id: v.id,
  sku: v.sku,
  priceMinor: v.priceMinor,
  options: v.options,
});

describe('GraphQL catalog', () => {
  /** Writes through REST; its worker builds the product documents. */
  let writer: AppProcess;
  /** API only, no response cache: nothing but the measured requests touches the database. */
  let reader: AppProcess;
  let admin: string;
  const run = Date.now().toString(36);
  const leaves: string[] = [];
  const middles: string[] = [];
  const roots: { id: string; slug: string }[] = [];
  const productIds: string[] = [];

  async function createCategory(name: string, parentId?: string) {
    const res = await api<{ id: string; slug: string }>(writer.url, '/api/v1/admin/categories', {
      method: 'POST',
      token: admin,
      body: { name, slug: `gql-${run}-${name}`, ...(parentId ? { parentId } : {}) },
    });
    if (res.status !== 201) throw new Error(`category: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  beforeAll(async () => {
    // The database was just migrated; a process reading from a replica that has not replayed
    // the migrations yet fails at start.
    const [db, standby] = [primary(), replica()];
    await waitForReplayCatchUp(db, standby).finally(() => Promise.all([db.end(), standby.end()]));

    writer = await AppProcess.start({ ROLE: 'all', AUTH_RATE_LIMIT: '1000' });
    admin = await adminToken(writer.url);

    // Three levels: 2 roots, 2 children each, 2 grandchildren each.
    for (const r of [0, 1]) {
      const root = await createCategory(`r${r}`);
      roots.push(root);
      for (const m of [0, 1]) {
        const middle = await createCategory(`r${r}-m${m}`, root.id);
        middles.push(middle.id);
        for (const l of [0, 1])
          leaves.push((await createCategory(`r${r}-m${m}-l${l}`, middle.id)).id);
      }
    }

    // 64 products, 2 to 4 variants each; most in a leaf, some in a middle category, some in none.
    const specs = Array.from({ length: 64 }, (_, i) => ({
      name: `GQL ${run} product ${i}`,
      currency: 'EUR',
      categoryId:
        i % 16 === 15 ? undefined : i % 5 === 0 ? middles[i % middles.length] : leaves[i % 8],
      variants: Array.from({ length: 2 + (i % 3) }, (_v, k) => ({
        options: { size: ['S', 'M', 'L', 'XL'][k] },
        priceMinor: 1000 + i * 10 + k,
      })),
    }));
    for (let i = 0; i < specs.length; i += 8) {
      const created = await Promise.all(
        specs.slice(i, i + 8).map(async (body) => {
          const res = await api<{ id: string }>(writer.url, '/api/v1/admin/products', {
            method: 'POST',
            token: admin,
            body,
          });
          if (res.status !== 201)
            throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
          return res.body.id;
        }),
      );
      productIds.push(...created);
    }

    reader = await AppProcess.start({ ROLE: 'api', CACHE_ENABLED: 'false' });
    // The worker has built every document and the replica has replayed them.
    await eventually(
      async () => {
        const res = await api<{ items: { id: string }[] }>(
          reader.url,
          '/api/v1/products?limit=100',
        );
        const listed = new Set(res.body.items.map((p) => p.id));
        expect(productIds.filter((id) => !listed.has(id))).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  });

  afterAll(async () => {
    await reader?.stop();
    await writer?.stop();
  });

  describe('a page of products costs a constant number of SQL statements', () => {
    it('runs at most 4 statements for 50 products with variants and categories, as for 10', async () => {
      // Warm the process (first connections, first schema use) before counting.
      await data<Page>(reader.url, PAGE, { first: 1 });

      let page50: Page | undefined;
      let page10: Page | undefined;
      const for50 = await statementsDuring(reader.url, async () => {
        page50 = await data<Page>(reader.url, PAGE, { first: 50 });
      });
      const for10 = await statementsDuring(reader.url, async () => {
        page10 = await data<Page>(reader.url, PAGE, { first: 10 });
      });
      const for50again = await statementsDuring(reader.url, () =>
        data<Page>(reader.url, PAGE, { first: 50 }),
      );

      expect(page50?.products.items).toHaveLength(50);
      expect(page10?.products.items).toHaveLength(10);
      // The page, its variants, its categories with their ancestors: one statement each.
      expect({ for10, for50, for50again }).toEqual({ for10: 3, for50: 3, for50again: 3 });
      expect(for50).toBeLessThanOrEqual(4);
    });

    it('answers as REST does: same products, variants, prices and category paths', async () => {
      const page = await data<Page>(reader.url, PAGE, { first: 50 });
      const rest = await api<{ items: RestProduct[] }>(reader.url, '/api/v1/products?limit=50');
      expect(rest.status).toBe(200);
      expect(page.products.items.map((p) => p.id)).toEqual(rest.body.items.map((p) => p.id));

      let nested = 0;
      page.products.items.forEach((gql, i) => {
        const doc = rest.body.items[i];
        expect(gql.name).toBe(doc.name);
        expect(gql.priceMinor).toBe(doc.priceMinor);
        expect(gql.variants.map(variantKey)).toEqual(doc.variants.map(variantKey));
        expect(gql.variants.length).toBeGreaterThanOrEqual(2);
        if (!doc.category) {
          expect(gql.category).toBeNull();
          return;
        }
        expect(gql.category).toMatchObject({ id: doc.category.id, name: doc.category.name });
        expect(gql.category?.path.map((c) => c.name)).toEqual(doc.category.path.map((c) => c.name));
        const ancestors = doc.category.path.slice(0, -1).reverse();
        expect(gql.category?.parent?.name ?? null).toBe(ancestors[0]?.name ?? null);
        expect(gql.category?.parent?.parent?.name ?? null).toBe(ancestors[1]?.name ?? null);
        if (ancestors.length === 2) nested++;
      });
      // The page really exercised three-level paths and products without a category.
      expect(nested).toBeGreaterThan(10);
      expect(page.products.items.some((p) => p.category === null)).toBe(true);
    });

    it('filters, sorts and pages like the REST list', async () => {
      const query = `query($category: String, $after: String) {
        products(first: 20, category: $category, sort: PRICE_ASC, priceMin: 1000, after: $after) {
          items { id priceMinor category { path { slug } } }
          nextCursor
        }
      }`;
      type Filtered = {
        products: {
          items: { id: string; priceMinor: number; category: { path: { slug: string }[] } }[];
          nextCursor: string | null;
        };
      };
      const first = await data<Filtered>(reader.url, query, { category: roots[0].slug });
      const second = await data<Filtered>(reader.url, query, {
        category: roots[0].slug,
        after: first.products.nextCursor,
      });
      const items = [...first.products.items, ...second.products.items];
      expect(first.products.items).toHaveLength(20);
      expect(new Set(items.map((p) => p.id)).size).toBe(items.length);
      for (const p of items) expect(p.category.path[0].slug).toBe(roots[0].slug);
      const prices = items.map((p) => p.priceMinor);
      expect(prices).toEqual([...prices].sort((a, b) => a - b));

      const rest = await api<{ items: { id: string }[] }>(
        reader.url,
        `/api/v1/products?limit=20&category=${roots[0].slug}&sort=price_asc&priceMin=1000`,
      );
      expect(first.products.items.map((p) => p.id)).toEqual(rest.body.items.map((p) => p.id));
    });

    it('reads one product by id and by slug, with its variants and category', async () => {
      const id = productIds[3];
      let byId:
        | { product: { id: string; slug: string; variants: Variant[]; category: GqlCategory } }
        | undefined;
      const statements = await statementsDuring(reader.url, async () => {
        byId = await data(
          reader.url,
          `query($id: ID!) {
            product(id: $id) {
              id slug variants { id sku priceMinor options }
              category { id name parent { name parent { name } } path { name } }
            }
          }`,
          { id },
        );
      });
      expect(byId?.product.id).toBe(id);
      expect(byId?.product.variants).toHaveLength(2);
      expect(byId?.product.category.path).toHaveLength(3);
      expect(statements).toBe(3);

      const rest = await api<RestProduct>(reader.url, `/api/v1/products/${id}`);
      expect(byId?.product.variants.map(variantKey)).toEqual(rest.body.variants.map(variantKey));

      const bySlug = await data<{ productBySlug: { id: string } }>(
        reader.url,
        'query($slug: String!) { productBySlug(slug: $slug) { id } }',
        { slug: byId?.product.slug },
      );
      expect(bySlug.productBySlug.id).toBe(id);
    });

    it('reads the whole category tree in one statement, at any depth', async () => {
      let tree: { categories: TreeNode[] } | undefined;
      const statements = await statementsDuring(reader.url, async () => {
        tree = await data<{ categories: TreeNode[] }>(
          reader.url,
          '{ categories { slug children { slug children { slug parent { slug } children { slug } } } } }',
        );
      });
      expect(statements).toBe(1);
      const root = tree?.categories.find((c) => c.slug === roots[0].slug);
      expect(root?.children.map((c) => c.slug)).toEqual([`gql-${run}-r0-m0`, `gql-${run}-r0-m1`]);
      const middle = root?.children[0];
      expect(middle?.children.map((c) => c.slug)).toEqual([
        `gql-${run}-r0-m0-l0`,
        `gql-${run}-r0-m0-l1`,
      ]);
      expect(middle?.children[0]).toEqual({
        slug: `gql-${run}-r0-m0-l0`,
        parent: { slug: `gql-${run}-r0-m0` },
        children: [],
      });
    });
  });

  describe('admin mutations', () => {
    const CREATE = `mutation($input: CreateProductInput!) {
      createProduct(input: $input) {
        id name status variants { id sku priceMinor options } category { path { slug } }
      }
    }`;

    it('creates a product with an admin token, through the REST service', async () => {
      const token = await adminToken(reader.url);
      const res = await data<{
        createProduct: {
          id: string;
          name: string;
          variants: Variant[];
          category: { path: { slug: string }[] };
        };
      }>(
        reader.url,
        CREATE,
        {
          input: {
            name: `GQL ${run} created`,
            currency: 'EUR',
            categoryId: leaves[0],
            variants: [
              { sku: `GQL-${run}-A`, priceMinor: 500, options: { colour: 'red' } },
              { sku: `GQL-${run}-B`, priceMinor: 700, options: { colour: 'blue' } },
            ],
          },
        },
        token,
      );
      const created = res.createProduct;
      expect(created.name).toBe(`GQL ${run} created`);
      expect(created.variants.map((v) => [v.sku, v.priceMinor, v.options])).toEqual([
        [`GQL-${run}-A`, 500, { colour: 'red' }],
        [`GQL-${run}-B`, 700, { colour: 'blue' }],
      ]);
      expect(created.category.path.map((c) => c.slug)).toEqual([
        `gql-${run}-r0`,
        `gql-${run}-r0-m0`,
        `gql-${run}-r0-m0-l0`,
      ]);
      // The admin REST read agrees (a new request: it reads a replica, once it has replayed).
      await eventually(async () => {
        const rest = await api<RestProduct>(reader.url, `/api/v1/admin/products/${created.id}`, {
          token,
        });
        expect(rest.status).toBe(200);
        expect(rest.body.variants.map(variantKey)).toEqual(created.variants.map(variantKey));
      });
    });

    it('sees each write of a multi-mutation request (loaders are dropped after a write)', async () => {
      const token = await adminToken(reader.url);
      const productId = productIds[7];
      const product = await data<{ product: { variants: Variant[] } }>(
        reader.url,
        'query($id: ID!) { product(id: $id) { variants { id priceMinor } } }',
        { id: productId },
      );
      const variantId = product.product.variants[0].id;
      const res = await data<{
        a: { variants: Variant[] };
        b: { variants: Variant[] };
        c: { variants: Variant[] };
      }>(
        reader.url,
        `mutation($p: ID!, $v: ID!) {
          a: updateVariant(productId: $p, variantId: $v, input: { priceMinor: 111 }) { variants { id priceMinor } }
          b: updateVariant(productId: $p, variantId: $v, input: { priceMinor: 222 }) { variants { id priceMinor } }
          c: addVariant(productId: $p, input: { priceMinor: 333, options: { size: "XXL" } }) { variants { priceMinor } }
        }`,
        { p: productId, v: variantId },
        token,
      );
      expect(res.a.variants.find((v) => v.id === variantId)?.priceMinor).toBe(111);
      expect(res.b.variants.find((v) => v.id === variantId)?.priceMinor).toBe(222);
      expect(res.c.variants.map((v) => v.priceMinor)).toContain(333);
      expect(res.c.variants).toHaveLength(product.product.variants.length + 1);
    });

    it('creates and moves categories', async () => {
      const token = await adminToken(reader.url);
      type Node = { id: string; parent: { id: string } | null; path: { slug: string }[] };
      const created = await data<{ createCategory: Node }>(
        reader.url,
        `mutation($input: CreateCategoryInput!) {
          createCategory(input: $input) { id parent { id } path { slug } }
        }`,
        { input: { name: 'Moved later', slug: `gql-${run}-moved`, parentId: middles[0] } },
        token,
      );
      expect(created.createCategory.parent?.id).toBe(middles[0]);
      expect(created.createCategory.path.map((c) => c.slug)).toEqual([
        `gql-${run}-r0`,
        `gql-${run}-r0-m0`,
        `gql-${run}-moved`,
      ]);
      const moved = await data<{ updateCategory: Node }>(
        reader.url,
        `mutation($id: ID!) {
          updateCategory(id: $id, input: { parentId: null }) { id parent { id } path { slug } }
        }`,
        { id: created.createCategory.id },
        token,
      );
      expect(moved.updateCategory.parent).toBeNull();
      expect(moved.updateCategory.path.map((c) => c.slug)).toEqual([`gql-${run}-moved`]);
    });

    it('refuses a customer (auth.forbidden) and an anonymous caller (auth.unauthenticated)', async () => {
      const customer = await newCustomer(reader.url);
      const input = { name: `GQL ${run} refused`, currency: 'EUR', priceMinor: 100 };
      const asCustomer = await graphql(reader.url, CREATE, { input }, customer.accessToken);
      expect(asCustomer.body.data ?? null).toBeNull();
      expect(asCustomer.body.errors?.[0]?.extensions?.code).toBe('auth.forbidden');

      const anonymous = await graphql(reader.url, CREATE, { input });
      expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('auth.unauthenticated');

      const archive = await graphql(
        reader.url,
        'mutation($id: ID!) { archiveProduct(id: $id) { id } }',
        { id: productIds[0] },
        customer.accessToken,
      );
      expect(archive.body.errors?.[0]?.extensions?.code).toBe('auth.forbidden');
    });

    it('answers invalid input with request.invalid and no stack trace', async () => {
      const token = await adminToken(reader.url);
      for (const input of [
        { name: 'Negative', currency: 'EUR', priceMinor: -5 },
        { name: 'Negative variant', currency: 'EUR', variants: [{ priceMinor: -1 }] },
      ]) {
        const res = await graphql(reader.url, CREATE, { input }, token);
        expect(res.status).toBeLessThan(500);
        expect(res.body.data ?? null).toBeNull();
        expect(res.body.errors?.[0]?.extensions?.code).toBe('request.invalid');
        expect(JSON.stringify(res.body.errors?.[0]?.extensions?.errors)).toMatch(/priceMinor/);
        expect(JSON.stringify(res.body)).not.toMatch(LEAK);
      }
      const badId = await graphql(reader.url, '{ product(id: "not-a-uuid") { id } }');
      expect(badId.body.errors?.[0]?.extensions?.code).toBe('request.invalid');
      const tooLarge = await graphql(reader.url, '{ products(first: 101) { items { id } } }');
      expect(tooLarge.body.errors?.[0]?.extensions?.code).toBe('request.invalid');
      expect(JSON.stringify(tooLarge.body)).not.toMatch(LEAK);
    });
  });

  describe('abusive queries', () => {
    it('refuses a query nested deeper than GRAPHQL_MAX_DEPTH (8)', async () => {
      const res = await graphql(
        reader.url,
        '{ categories { children { children { children { children { children { children { children { name } } } } } } } } }',
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.message).toMatch(
        /query depth \(9\) exceeds the query depth limit of 8/,
      );
      expect(JSON.stringify(res.body)).not.toMatch(LEAK);
    });

    it('refuses a query whose cost exceeds GRAPHQL_MAX_COMPLEXITY (default 4000), before any SQL', async () => {
      let res: Awaited<ReturnType<typeof graphql>> | undefined;
      const statements = await statementsDuring(reader.url, async () => {
        res = await graphql(
          reader.url,
          '{ products(first: 1000) { items { id variants { id sku } category { name path { name } } } } }',
        );
      });
      expect(res?.status).toBe(400);
      expect(res?.body.data ?? null).toBeNull();
      expect(res?.body.errors?.[0]?.extensions).toMatchObject({
        code: 'graphql.too_complex',
        limit: 4000,
      });
      expect(res?.body.errors?.[0]?.extensions?.cost).toBeGreaterThan(4000);
      expect(statements).toBe(0);
    });
  });
});
