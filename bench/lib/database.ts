import { spawnSync } from 'node:child_process';
import pg from 'pg';

export interface BenchDatabase {
  name: string;
  primaryUrl: string;
  replicaUrl: string;
}

export interface Prepared {
  products: number;
  activeProducts: number;
  /** The seed CLI's output when this run had to seed (per-phase timings). */
  seedOutput?: string;
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates the bench database when missing, migrates it with the app's CLI, seeds `products`
 * products when it has none, and waits until the replica has replayed all of it.
 */
export async function prepareDatabase(
  db: BenchDatabase,
  dist: string,
  env: Record<string, string>,
  products: number,
  progress: (line: string) => void,
): Promise<Prepared> {
  const admin = db.primaryUrl.replace(/\/[^/]+$/, '/postgres');
  await withClient(admin, async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    if (!rowCount) await c.query(`CREATE DATABASE "${db.name.replace(/"/g, '')}"`);
  });
  const cli = (script: string, args: string[] = []) => {
    const run = spawnSync(process.execPath, [`${dist}/src/cli/${script}.js`, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 240_000,
    });
    if (run.status !== 0) throw new Error(`${script} failed (${run.status}):\n${run.stderr}`);
    return run.stdout;
  };
  progress(cli('migrate').trim());
  const count = () =>
    withClient(db.primaryUrl, async (c) => {
      const { rows } = await c.query<{ n: number; active: number }>(
        `SELECT count(*)::int AS n, (count(*) FILTER (WHERE status = 'active'))::int AS active
           FROM catalog.product_documents`,
      );
      return rows[0];
    });
  let seedOutput: string | undefined;
  if ((await count()).n === 0) {
    progress(`seeding ${products} products…`);
    seedOutput = cli('seed-catalog', ['--products', String(products)]);
    progress(seedOutput.trim());
  }
  await replicaCaughtUp(db);
  const { n, active } = await count();
  return { products: n, activeProducts: active, seedOutput };
}

/** Waits (up to 2 minutes) until the replica has replayed everything the primary wrote so far. */
async function replicaCaughtUp(db: BenchDatabase): Promise<void> {
  const target = await withClient(db.primaryUrl, async (c) => {
    const { rows } = await c.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
    return rows[0].lsn;
  });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await withClient(db.replicaUrl, async (c) => {
      const { rows } = await c.query<{ ok: boolean }>(
        'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok',
        [target],
      );
      return rows[0].ok;
    }).catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error('the replica did not catch up within 2 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Product ids for the detail scenario: a fixed, spread-out sample of active products. */
export function sampleProductIds(db: BenchDatabase, count: number): Promise<string[]> {
  return withClient(db.primaryUrl, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `SELECT product_id AS id FROM catalog.product_documents WHERE status = 'active'
        ORDER BY md5(product_id::text) LIMIT $1`,
      [count],
    );
    return rows.map((r) => r.id);
  });
}

export function serverVersion(db: BenchDatabase): Promise<string> {
  return withClient(db.primaryUrl, async (c) => {
    const { rows } = await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`);
    return rows[0].v;
  });
}
