import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';

/**
 * Baseline for uncached reads: a bare Fastify server with a pg pool that answers the shop list,
 * and search when the app has it, with one hand-written SQL statement and the same JSON (same
 * bytes, cursor included). What the API adds on top of this is the framework's cost.
 *
 * Env: PORT, DATABASE_URL (the replica the API reads from), POOL_SIZE, CURSOR_SECRET, and
 * SEARCH_MODULE: the app's built search-query.js, whose SQL the search route runs verbatim.
 */

interface SearchModule {
  SEARCH_SETTINGS_SQL: string;
  MAX_SEARCH_RESULTS: number;
  searchSql(withCategory: boolean): string;
  typoVariantsQuery(text: string): string;
  normalizeSearchText(raw: string): string;
  searchWindow(limit: number | undefined, offset: number): { limit: number; fetch: number };
}

interface Crumb {
  id: string;
  name: string;
}
interface Doc {
  id: string;
  name: string;
  priceMinor: number;
  createdAt: string;
  variants: { id: string; sku: string; priceMinor: number; options: Record<string, string> }[];
  category: (Crumb & { path: Crumb[] }) | null;
}

const secret = process.env.CURSOR_SECRET ?? '';
const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
});
// An idle client's error (the replica restarted) would otherwise end the process; the pool drops
// that client and the next query connects afresh, as the API's replica pools do.
pool.on('error', (err) => process.stderr.write(`idle client: ${err.message}\n`));

/** The app's page cursor: base64url("<sort>.<key>.<id>") + "." + truncated HMAC. */
function cursor(sort: string, key: number, id: string): string {
  const body = `${sort}.${key}.${id}`;
  const mac = createHmac('sha256', secret).update(`page-cursor:${body}`).digest('base64url');
  return `${Buffer.from(body).toString('base64url')}.${mac.slice(0, 22)}`;
}

const app = Fastify({ logger: false });
const json = 'application/json; charset=utf-8';

app.get<{ Querystring: { limit?: string } }>('/api/v1/products', async (request, reply) => {
  const limit = Math.min(Math.max(Number(request.query.limit ?? 20) || 20, 1), 100);
  const { rows } = await pool.query<{ document: Doc }>(
    `SELECT document FROM catalog.product_documents WHERE status = 'active'
      ORDER BY created_at DESC, product_id DESC LIMIT $1`,
    [limit + 1],
  );
  const items = rows.slice(0, limit).map((r) => r.document);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > limit && last ? cursor('newest', Date.parse(last.createdAt), last.id) : null;
  return reply.header('content-type', json).send(JSON.stringify({ items, nextCursor }));
});

/**
 * The GraphQL page of the bench (50 products: id name priceMinor, variants, category with parent,
 * grandparent and path) from one statement over the documents: the query text is not parsed,
 * this route answers that one query shape.
 */
app.post<{ Body: { variables?: { first?: number } } }>('/graphql', async (request, reply) => {
  const first = Math.min(Math.max(Number(request.body.variables?.first ?? 20) || 20, 1), 100);
  const { rows } = await pool.query<{ document: Doc }>(
    `SELECT document FROM catalog.product_documents WHERE status = 'active'
      ORDER BY created_at DESC, product_id DESC LIMIT $1`,
    [first],
  );
  const items = rows.map(({ document: d }) => {
    const path = d.category?.path ?? [];
    const above = (i: number) => path[path.length - 1 - i] as Crumb | undefined;
    const grandparent = above(2);
    const parent = above(1);
    return {
      id: d.id,
      name: d.name,
      priceMinor: d.priceMinor,
      variants: d.variants.map((v) => ({
        id: v.id,
        sku: v.sku,
        priceMinor: v.priceMinor,
        options: v.options,
      })),
      category: d.category
        ? {
            id: d.category.id,
            name: d.category.name,
            parent: parent
              ? { name: parent.name, parent: grandparent ? { name: grandparent.name } : null }
              : null,
            path: path.map((c) => ({ name: c.name })),
          }
        : null,
    };
  });
  return reply.header('content-type', json).send(JSON.stringify({ data: { products: { items } } }));
});

if (process.env.SEARCH_MODULE) {
  const search = (await import(pathToFileURL(process.env.SEARCH_MODULE).href)) as SearchModule;
  app.get<{ Querystring: { q: string } }>('/api/v1/search', async (request, reply) => {
    const text = search.normalizeSearchText(request.query.q);
    const window = search.searchWindow(undefined, 0);
    const client = await pool.connect();
    let rows: Record<string, unknown>[];
    try {
      await client.query('BEGIN');
      await client.query(search.SEARCH_SETTINGS_SQL);
      ({ rows } = await client.query(search.searchSql(false), [
        text,
        search.typoVariantsQuery(text),
        window.fetch,
        window.limit,
        0,
      ]));
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const last = rows[rows.length - 1];
    const more = rows.length > 0 && Number(rows[0].ranked) > window.limit;
    const items = rows.map((r) => ({
      product: r.document,
      rank: r.rank,
      matchedBy: r.matched_by,
      highlight: { name: r.name_highlight, description: r.description_highlight },
    }));
    const nextCursor =
      more && last && rows.length < search.MAX_SEARCH_RESULTS
        ? cursor('relevance', rows.length, String(last.product_id))
        : null;
    return reply.header('content-type', json).send(JSON.stringify({ items, nextCursor }));
  });
}
app.get('/health', () => 'ok');

await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.once('SIGTERM', () => void app.close().then(() => pool.end().then(() => process.exit(0))));
