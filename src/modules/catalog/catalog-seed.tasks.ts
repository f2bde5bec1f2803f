/**
 * Bulk seed of a realistic catalogue for load tests and plan checks (100k products in well under
 * a minute): every table is filled by one set-based statement, the read model by the same
 * UPSERT_PRODUCT_DOCUMENTS the worker runs, on parallel connections. For the CLI only.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { slugify } from './domain/slug.js';
import { UPSERT_PRODUCT_DOCUMENTS } from './application/product-document.sql.js';

export interface BulkSeedOptions {
  products: number;
  variantsPerProduct: number;
  categories: number;
  /** Add to a catalogue that has products instead of refusing. */
  append?: boolean;
  /** Connections that build product documents side by side (default 2). */
  documentWorkers?: number;
  /** Products per document UPSERT (default 5,000). */
  documentBatch?: number;
}

export interface SeedPhase {
  phase: string;
  rows: number;
  ms: number;
}

/** The catalogue already has products and `append` was not asked for. */
export class CatalogNotEmptyError extends Error {
  constructor(readonly products: number) {
    super(`catalog.products already holds ${products} rows; pass --append to add more`);
    this.name = 'CatalogNotEmptyError';
  }
}

const MAX_VARIANTS = 40; // 5 sizes × 8 colours: every variant of a product has its own SKU.

// Departments: name | sub-categories (10) | product nouns (12) | materials or finishes (8).
const DEPARTMENTS = [
  'Clothing|T-Shirts,Shirts,Jeans,Jackets,Dresses,Sweaters,Shorts,Socks,Shoes,Hats|T-Shirt,Shirt,Jeans,Jacket,Dress,Sweater,Hoodie,Shorts,Socks,Sneakers,Boots,Cap|Cotton,Linen,Denim,Wool,Fleece,Leather,Silk,Cashmere',
  'Home|Bedding,Bath,Lighting,Rugs,Curtains,Decor,Storage,Furniture,Candles,Clocks|Duvet Cover,Pillow,Towel,Table Lamp,Rug,Curtain,Vase,Bookshelf,Armchair,Sofa,Candle,Wall Clock|Oak,Walnut,Ceramic,Glass,Velvet,Bamboo,Rattan,Marble',
  'Kitchen|Cookware,Bakeware,Cutlery,Knives,Tableware,Glassware,Appliances,Coffee,Tea,Pantry|Frying Pan,Saucepan,Dutch Oven,Chef Knife,Cutting Board,Dinner Plate,Mug,Wine Glass,Coffee Grinder,Kettle,Teapot,Baking Tray|Cast Iron,Stainless Steel,Copper,Ceramic,Porcelain,Beech,Enamel,Carbon Steel',
  'Electronics|Headphones,Speakers,Chargers,Cables,Cameras,Keyboards,Mice,Monitors,Smart Home,Wearables|Headphones,Earbuds,Bluetooth Speaker,USB-C Charger,Power Bank,HDMI Cable,Action Camera,Mechanical Keyboard,Wireless Mouse,Monitor,Smart Plug,Fitness Tracker|Aluminium,Matte Black,Graphite,Carbon,Wireless,Compact,Pro,Ultra',
  'Sports|Running,Cycling,Yoga,Fitness,Swimming,Tennis,Football,Hiking,Climbing,Skiing|Running Shoes,Cycling Helmet,Yoga Mat,Dumbbell,Swim Goggles,Tennis Racket,Football,Hiking Backpack,Climbing Harness,Ski Gloves,Water Bottle,Resistance Band|Mesh,Neoprene,Nylon,Rubber,Carbon Fibre,Merino,Waterproof,Foam',
  'Garden|Planters,Tools,Seeds,Outdoor Furniture,Outdoor Lighting,Watering,Barbecue,Greenhouses,Bird Care,Garden Decor|Planter,Pruning Shears,Garden Hose,Watering Can,Sun Lounger,Parasol,Solar Lantern,Barbecue Grill,Bird Feeder,Trowel,Seed Kit,Compost Bin|Terracotta,Teak,Galvanised,Acacia,Zinc,Stone,Recycled,Wrought Iron',
  'Beauty|Skincare,Haircare,Makeup,Fragrance,Bath and Body,Nails,Grooming,Beauty Tools,Suncare,Gift Sets|Face Cream,Serum,Shampoo,Conditioner,Lipstick,Mascara,Eau de Parfum,Body Wash,Nail Polish,Beard Oil,Hair Brush,Sunscreen|Rose,Argan,Aloe Vera,Vitamin C,Charcoal,Lavender,Hyaluronic,Shea Butter',
  'Toys|Building,Puzzles,Dolls,Vehicles,Board Games,Plush,Outdoor Play,Science,Arts and Crafts,Baby|Building Set,Jigsaw Puzzle,Doll,Toy Car,Board Game,Teddy Bear,Kite,Science Kit,Paint Set,Rattle,Train Set,Card Game|Wooden,Plush,Magnetic,Remote Control,Musical,Glow,Stacking,Classic',
  'Office|Notebooks,Pens,Desks,Chairs,Paper,Organisers,Bags,Printing,Art Supplies,Planners|Notebook,Fountain Pen,Standing Desk,Office Chair,Desk Lamp,Planner,Backpack,Laptop Sleeve,Pencil Case,Sketchbook,Desk Organiser,Stapler|Leather,Recycled Paper,Kraft,Felt,Steel,Bamboo,Canvas,Mesh',
  'Pets|Dogs,Cats,Pet Beds,Pet Toys,Bowls,Leads,Pet Grooming,Carriers,Aquarium,Birds|Dog Bed,Cat Tree,Dog Lead,Collar,Pet Bowl,Chew Toy,Scratching Post,Pet Carrier,Grooming Brush,Litter Box,Aquarium Filter,Bird Cage|Orthopedic,Waterproof,Reflective,Natural Rubber,Sisal,Stainless,Fleece,Padded',
].map((line) => {
  const [name, subs, nouns, materials] = line.split('|');
  return { name, subs: subs.split(','), nouns: nouns.split(','), materials: materials.split(',') };
});
const NOUNS_PER_DEPT = 12;
const MATERIALS_PER_DEPT = 8;
const MODIFIERS = `Women's,Men's,Kids',Premium,Everyday,Eco,Vintage,Travel,Limited Edition,Essentials`;
const BRANDS = `Northwind,Bluebird,Oakridge,Fjord,Alder & Co,Maple Lane,Copperleaf,Solstice,Harbor,Kestrel,Lumen,Evergreen,Halcyon,Ironbark,Juniper,Meridian,Nordic Loom,Pebble,Quill,Redwood,Saltwater,Tidewell,Urbanite,Wildflower`;
const ADJECTIVES = `Classic,Essential,Slim,Relaxed,Heritage,Modern,Everyday,Premium,Lightweight,Heavy-Duty,Compact,Deluxe,Vintage,Minimalist,Rugged,Soft,Organic,Signature,Urban,Travel`;
const SENTENCES = `Designed to last, with attention to every detail.|Easy to care for and built for everyday use.|Made from responsibly sourced materials.|A customer favourite for years.|Backed by a two-year warranty.|Ships in plastic-free packaging.|Tested by our team in real-world conditions.|Lightweight yet surprisingly durable.|Thoughtfully designed for small spaces.|Comfortable enough to use all day.|A great gift for friends and family.|Limited stock: once it is gone, it is gone.`;
const SIZES = 'S,M,L,XL,XXL';
const COLOURS = 'Black,White,Navy,Grey,Olive,Red,Sand,Blue';

const words = (csv: string, sep = ',') => csv.split(sep);

interface CategoryRow {
  id: string;
  parentId: string | null;
  slug: string;
  name: string;
  path: string[];
  position: number;
  dept: number;
}

/**
 * A tree of `count` categories, breadth first: 10 department roots, then 10 children per node
 * (1,000 = 10 roots, 100 sub-categories, 890 third-level categories; the 901 categories without
 * children take the products). Slugs are unique.
 */
function categoryTree(count: number, newId: () => string): CategoryRow[] {
  const roots = Math.min(DEPARTMENTS.length, count);
  const fanOut = 10;
  const rows: CategoryRow[] = [];
  const slugs = new Set<string>();
  const modifiers = words(MODIFIERS);
  for (let i = 0; i < count; i++) {
    const parent = i < roots ? undefined : rows[Math.floor((i - roots) / fanOut)];
    const position = i < roots ? i : (i - roots) % fanOut;
    const dept = parent ? parent.dept : i;
    const depth = parent ? parent.path.length : 0;
    const name =
      depth === 0
        ? DEPARTMENTS[dept].name
        : depth === 1
          ? DEPARTMENTS[dept].subs[position]
          : `${modifiers[position]} ${parent?.name ?? ''}`;
    let slug = parent ? `${parent.slug}-${slugify(name).slice(0, 40)}` : slugify(name);
    if (slugs.has(slug)) slug = `${slug}-${i}`;
    slugs.add(slug);
    const id = newId();
    rows.push({
      id,
      parentId: parent?.id ?? null,
      slug,
      name,
      path: [...(parent?.path ?? []), id],
      position,
      dept,
    });
  }
  return rows;
}

const INSERT_CATEGORIES = `
INSERT INTO catalog.categories (id, parent_id, slug, name, path, position, created_at, updated_at)
SELECT c.id, c.parent_id, c.slug, c.name, string_to_array(c.path, ',')::uuid[], c.position, now(), now()
  FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[])
       AS c(id, parent_id, slug, name, path, position)`;

/**
 * Products `$1 + 1 … $1 + $2`, spread evenly over the last two years (newest last, so the heap
 * follows created_at), in leaf categories, 90% active, 6% draft, 4% archived. Names and
 * descriptions come from the department's word lists so that full-text search means something.
 * Every choice is a hash of the product number, so the same arguments give the same names,
 * categories, prices and statuses (only the uuids differ).
 */
const INSERT_PRODUCTS = `
WITH w AS (
  SELECT $3::uuid[] AS leaf_ids, $4::int[] AS leaf_dept, $5::text[] AS brands, $6::text[] AS adjs,
         $7::text[] AS nouns, $8::text[] AS materials, $9::text[] AS sentences,
         $10::text[] AS dept_names, $11::int AS nouns_per_dept, $12::int AS materials_per_dept
), g AS (
  SELECT n, n - $1::int AS k, l, w.leaf_dept[1 + l] AS d,
         (hashint4(n + 11)::bigint + 2147483648) AS h1, (hashint4(n + 23)::bigint + 2147483648) AS h2,
         (hashint4(n + 37)::bigint + 2147483648) AS h3, (hashint4(n + 41)::bigint + 2147483648) AS h4
    FROM w, generate_series($1::int + 1, $1::int + $2::int) AS n,
         LATERAL (SELECT ((hashint4(n)::bigint + 2147483648) % cardinality(w.leaf_ids))::int AS l) x
), named AS (
  SELECT g.*, w.leaf_ids[1 + g.l] AS category_id,
         w.brands[1 + h1 % cardinality(w.brands)] AS brand,
         w.adjs[1 + h2 % cardinality(w.adjs)] AS adj,
         w.materials[1 + d * w.materials_per_dept + h3 % w.materials_per_dept] AS material,
         w.nouns[1 + d * w.nouns_per_dept + h4 % w.nouns_per_dept] AS noun,
         w.sentences[1 + (h1 / 7) % cardinality(w.sentences)] AS s1,
         w.sentences[1 + (h2 / 7) % cardinality(w.sentences)] AS s2,
         w.dept_names[1 + d] AS dept
    FROM g, w
), p AS (
  SELECT n, k, category_id,
         concat_ws(' ', brand, adj, material, noun) AS name,
         concat_ws(' ', adj || ' ' || lower(material) || ' ' || lower(noun) || ' from ' || brand || '.',
                   s1, CASE WHEN s2 <> s1 THEN s2 END,
                   'Part of our ' || lower(dept) || ' range.') AS description,
         CASE WHEN h4 % 100 < 90 THEN 'active' WHEN h4 % 100 < 96 THEN 'draft' ELSE 'archived' END AS status,
         date_trunc('milliseconds', $13::timestamptz)
           - (($2::int - k)::bigint * $14::bigint + h1 % $14::bigint) * interval '1 millisecond' AS created_at
    FROM named
)
INSERT INTO catalog.products (id, slug, name, description, currency, status, category_id, images, version, created_at, updated_at)
SELECT gen_random_uuid(), s.slug, p.name, p.description, 'EUR', p.status, p.category_id,
       ARRAY['https://img.scaleshop.example/p/' || s.slug || '-1.jpg', 'https://img.scaleshop.example/p/' || s.slug || '-2.jpg'],
       1, p.created_at, p.created_at
  FROM p, LATERAL (SELECT trim(both '-' FROM regexp_replace(lower(p.name), '[^a-z0-9]+', '-', 'g')) || '-' || p.n AS slug) s`;

/**
 * Variants of the products numbered above `$5` (this run's): sizes S…XXL in turn, a colour per
 * product (the next colour once the sizes run out), prices ending in 99 that rise with the size.
 */
const INSERT_VARIANTS = `
INSERT INTO catalog.variants (id, product_id, sku, options, price_minor, position, created_at, updated_at)
SELECT gen_random_uuid(), p.id,
       'SS' || substring(p.slug FROM '([0-9]+)$') || '-' || size || '-' || upper(left(colour, 3)),
       jsonb_build_object('size', size, 'colour', colour),
       base + (j % $2::int) * 200, j, p.created_at, p.created_at
  FROM catalog.products p
  CROSS JOIN LATERAL (SELECT (hashint4(hashtext(p.slug))::bigint + 2147483648) AS h) x
  CROSS JOIN LATERAL (SELECT ((500 + x.h % 20000) / 100) * 100 + 99 AS base) b
  CROSS JOIN generate_series(0, $1::int - 1) AS j
  CROSS JOIN LATERAL (SELECT ($3::text[])[1 + j % $2::int] AS size,
                             ($4::text[])[1 + (x.h / 13 + j / $2::int) % cardinality($4::text[])] AS colour) o
 WHERE substring(p.slug FROM '-([0-9]{1,9})$')::int > $5::int`;

/**
 * Seeds categories (unless some exist: they are reused), products, variants and product
 * documents, then VACUUM (ANALYZE). Refuses when products exist unless `append`. Calls `onPhase` as each
 * phase ends; returns every phase.
 */
export async function seedBulkCatalog(
  dataSource: DataSource,
  options: BulkSeedOptions,
  onPhase: (phase: SeedPhase) => void = () => undefined,
): Promise<SeedPhase[]> {
  const phases: SeedPhase[] = [];
  const timed = async (phase: string, work: () => Promise<number>) => {
    const started = performance.now();
    const rows = await work();
    const done = { phase, rows, ms: Math.round(performance.now() - started) };
    phases.push(done);
    onPhase(done);
  };
  if (options.variantsPerProduct < 1 || options.variantsPerProduct > MAX_VARIANTS) {
    throw new RangeError(`variants per product must be 1…${MAX_VARIANTS}`);
  }

  const runner = dataSource.createQueryRunner('master');
  await runner.connect();
  try {
    await tuneSession(runner);
    const existing = await count(runner, 'catalog.products');
    if (existing > 0 && !options.append) throw new CatalogNotEmptyError(existing);

    const start = await maxProductNumber(runner);
    await runner.startTransaction();
    await timed('categories', () => seedCategories(runner, options.categories));
    const leaves = (await runner.query(`
      SELECT c.id, (SELECT r.name FROM catalog.categories r WHERE r.id = c.path[1]) AS root
        FROM catalog.categories c
       WHERE NOT EXISTS (SELECT 1 FROM catalog.categories k WHERE k.parent_id = c.id)
       ORDER BY c.slug`)) as { id: string; root: string }[];
    await timed('products', async () => {
      const deptNames = DEPARTMENTS.map((d) => d.name);
      await runner.query(INSERT_PRODUCTS, [
        start,
        options.products,
        leaves.map((l) => l.id),
        leaves.map((l) => Math.max(0, deptNames.indexOf(l.root))),
        words(BRANDS),
        words(ADJECTIVES),
        DEPARTMENTS.flatMap((d) => d.nouns.slice(0, NOUNS_PER_DEPT)),
        DEPARTMENTS.flatMap((d) => d.materials.slice(0, MATERIALS_PER_DEPT)),
        words(SENTENCES, '|'),
        deptNames,
        NOUNS_PER_DEPT,
        MATERIALS_PER_DEPT,
        new Date(),
        Math.max(1, Math.floor((730 * 86_400_000) / options.products)),
      ]);
      return options.products;
    });
    await timed('variants', async () => {
      const sizes = words(SIZES);
      await runner.query(INSERT_VARIANTS, [
        options.variantsPerProduct,
        Math.min(sizes.length, options.variantsPerProduct),
        sizes,
        words(COLOURS),
        start,
      ]);
      return options.products * options.variantsPerProduct;
    });
    await runner.commitTransaction();
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    throw err;
  } finally {
    await releaseTuned(runner);
  }

  await timed('documents', () =>
    buildMissingDocuments(dataSource, options.documentWorkers ?? 2, options.documentBatch ?? 5_000),
  );
  // Autovacuum may be off (it is on the dev machines): without statistics the planner is blind.
  // VACUUM also empties the GIN pending lists and sets the visibility map, as autovacuum would.
  await timed('vacuum-analyze', async () => {
    await dataSource.query(
      'VACUUM (ANALYZE) catalog.categories, catalog.products, catalog.variants, catalog.product_documents',
    );
    return 4;
  });
  return phases;
}

/** Bulk-load settings for this session only: nothing here outlives the seed's connections. */
async function tuneSession(runner: QueryRunner): Promise<void> {
  // A lost seed is re-run, so its commits need not wait for the WAL flush.
  await runner.query('SET synchronous_commit = off');
  // Hash aggregates and GIN pending-list merges (sized by work_mem outside VACUUM) stay in memory.
  await runner.query(`SET work_mem = '64MB'`);
  // Each big statement would otherwise spend ~0.3 s compiling JIT code it barely benefits from.
  await runner.query('SET jit = off');
}

async function releaseTuned(runner: QueryRunner): Promise<void> {
  try {
    await runner.query('RESET synchronous_commit');
    await runner.query('RESET work_mem');
    await runner.query('RESET jit');
  } finally {
    await runner.release();
  }
}

async function seedCategories(runner: QueryRunner, wanted: number): Promise<number> {
  if ((await count(runner, 'catalog.categories')) > 0) return 0;
  const rows = categoryTree(wanted, () => randomUUID());
  await runner.query(INSERT_CATEGORIES, [
    rows.map((r) => r.id),
    rows.map((r) => r.parentId),
    rows.map((r) => r.slug),
    rows.map((r) => r.name),
    rows.map((r) => r.path.join(',')),
    rows.map((r) => r.position),
  ]);
  return rows.length;
}

/**
 * Builds the documents of every product that has none, with the worker's own UPSERT, in batches
 * spread over `workers` connections (building documents is CPU-bound in PostgreSQL: tsvector and
 * JSONB per product, so a second core nearly halves the time).
 */
async function buildMissingDocuments(
  dataSource: DataSource,
  workers: number,
  batchSize: number,
): Promise<number> {
  const ids = (
    (await dataSource.query(`
      SELECT p.id FROM catalog.products p
       WHERE NOT EXISTS (SELECT 1 FROM catalog.product_documents d WHERE d.product_id = p.id)
       ORDER BY p.created_at, p.id`)) as { id: string }[]
  ).map((r) => r.id);
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
  const work = async () => {
    const runner = dataSource.createQueryRunner('master');
    await runner.connect();
    try {
      await tuneSession(runner);
      for (let batch = batches.shift(); batch; batch = batches.shift()) {
        await runner.query(UPSERT_PRODUCT_DOCUMENTS, [batch]);
      }
    } finally {
      await releaseTuned(runner);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, work));
  return ids.length;
}

async function count(runner: QueryRunner, table: string): Promise<number> {
  const [{ n }] = (await runner.query(`SELECT count(*)::int AS n FROM ${table}`)) as {
    n: number;
  }[];
  return n;
}

/** The highest product number used in a seeded slug (…-<n>), so appended slugs stay unique. */
async function maxProductNumber(runner: QueryRunner): Promise<number> {
  const [{ n }] = (await runner.query(
    `SELECT COALESCE(max(substring(slug FROM '-([0-9]{1,9})$')::int), 0) AS n FROM catalog.products`,
  )) as { n: number }[];
  return n;
}
