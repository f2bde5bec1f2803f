import pg from 'pg';
import { PRIMARY_URL, REPLICA_URL } from './test-env.js';

/** Direct connections to the real primary and replica, for arranging and checking state. */
export function primary(): pg.Pool {
  return quiet(new pg.Pool({ connectionString: PRIMARY_URL, max: 4 }));
}

export function replica(): pg.Pool {
  return quiet(new pg.Pool({ connectionString: REPLICA_URL, max: 2 }));
}

/** Idle clients error when a test stops a server on purpose; the pool drops them. */
function quiet(pool: pg.Pool): pg.Pool {
  pool.on('error', () => undefined);
  return pool;
}

/** Empties every context table (keeps the schema and the migrations table). */
export async function resetData(pool: pg.Pool): Promise<void> {
  await pool.query(`TRUNCATE identity.accounts, identity.refresh_tokens, identity.outbox, identity.processed_events,
    catalog.categories, catalog.products, catalog.variants, catalog.product_documents, catalog.outbox,
    catalog.processed_events CASCADE`);
}
