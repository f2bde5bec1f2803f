import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

/**
 * Baseline for checkout: a bare Fastify server with a pg pool on the primary that sells one unit
 * with the least work that cannot oversell — one transaction, a conditional UPDATE of the stock
 * row and an INSERT of the order — and answers 201 or 409. No auth, no idempotency, no outbox, no
 * pricing: what the API adds on top of this is everything a real checkout needs.
 *
 * Env: PORT, DATABASE_URL (the primary), POOL_SIZE. Tables live in schema `bench_baseline`.
 */

const pool = new pg.Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.POOL_SIZE ?? 10),
});
pool.on('error', (err) => process.stderr.write(`idle client: ${err.message}\n`));

await pool.query(`CREATE SCHEMA IF NOT EXISTS bench_baseline`);
await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline.stock (
  sku text PRIMARY KEY, available int NOT NULL CHECK (available >= 0))`);
await pool.query(`CREATE TABLE IF NOT EXISTS bench_baseline.orders (
  id uuid PRIMARY KEY, sku text NOT NULL, quantity int NOT NULL, placed_at timestamptz NOT NULL DEFAULT now())`);

const app = Fastify({ logger: false });

app.get('/health', async () => ({ ok: true }));

/** Sets a SKU's stock (the runner calls it before each round). */
app.put<{ Params: { sku: string }; Body: { available: number } }>(
  '/stock/:sku',
  async (request) => {
    await pool.query(
      `INSERT INTO bench_baseline.stock (sku, available) VALUES ($1, $2)
       ON CONFLICT (sku) DO UPDATE SET available = EXCLUDED.available`,
      [request.params.sku, request.body.available],
    );
    return { ok: true };
  },
);

app.post<{ Body: { items: { sku: string; quantity: number }[] } }>(
  '/api/v1/checkout',
  async (request, reply) => {
    const [line] = request.body.items;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const taken = await client.query(
        `UPDATE bench_baseline.stock SET available = available - $2
          WHERE sku = $1 AND available >= $2`,
        [line.sku, line.quantity],
      );
      if (taken.rowCount === 0) {
        await client.query('ROLLBACK');
        return reply.code(409).send({ status: 409, code: 'sold_out' });
      }
      const id = randomUUID();
      await client.query(
        `INSERT INTO bench_baseline.orders (id, sku, quantity) VALUES ($1, $2, $3)`,
        [id, line.sku, line.quantity],
      );
      await client.query('COMMIT');
      return reply.code(201).send({ id, status: 'pending_payment' });
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  },
);

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
