import { Redis } from 'ioredis';
import type pg from 'pg';
import type {
  ReservationView,
  ReserveResult,
  StockLine,
} from '../../src/modules/inventory/inventory.contract.js';
import { primary } from '../support/db.js';
import { eventually } from '../support/eventually.js';
import { InventoryPortHost } from '../support/inventory-port-host.js';
import { appEnv, QUEUE_REDIS_URL } from '../support/test-env.js';

/**
 * InventoryPort's real adapter under contention: the Nest application context of the built code
 * (ROLE=worker, so its sweeper and reconciler run) in a child process, on the real primary,
 * replica and queue Redis; the calls are fired at it concurrently. There is no HTTP route for
 * reserve (checkout will be its caller).
 */
describe('inventory: reserve under contention, hot-SKU gate, idempotency, reconciler', () => {
  let host: InventoryPortHost;
  let db: pg.Pool;
  let redis: Redis;
  let keyPrefix: string;
  const tag = Date.now().toString(36);

  beforeAll(async () => {
    const env = appEnv({
      ROLE: 'worker',
      MODULES: 'identity,catalog,inventory',
      DB_POOL_SIZE: '20',
      // 2,000 transactions queue for 20 connections: waiting for one is not a failure here.
      DB_CONNECT_TIMEOUT_MS: '60000',
      RESERVATION_SWEEP_MS: '200',
      HOT_SKU_RECONCILE_MS: '300',
      LOG_LEVEL: 'error',
    });
    keyPrefix = `${env.QUEUE_PREFIX}:inventory:`;
    host = await InventoryPortHost.start(env);
    db = primary();
    redis = new Redis(QUEUE_REDIS_URL);
  });

  afterAll(async () => {
    await host?.stop();
    const keys = [
      ...(await redis.keys(`${keyPrefix}*`)),
      ...(await redis.keys(`${keyPrefix.replace(/:inventory:$/, '')}:inventory-maintenance:*`)),
    ];
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db.end();
  });

  const port = {
    reserve: async (lines: StockLine[], options: { reference: string; ttlMs?: number }) =>
      (await host.call<ReserveResult>('reserve', lines, options)).value,
    commit: async (id: string) => (await host.call<boolean>('commit', id)).value,
    release: async (id: string) => (await host.call<boolean>('release', id)).value,
    availability: async (skus: string[]) =>
      (await host.call<Record<string, number>>('availability', skus)).value,
  };
  const built = {
    port,
    setStock: (sku: string, onHand: number, hot?: boolean) =>
      host.call('setStock', sku, onHand, hot),
    reconcile: async (sku: string) => (await host.call<number | null>('reconcile', sku)).value,
    get keyPrefix() {
      return keyPrefix;
    },
  };

  const stock = async (sku: string) => {
    const { rows } = await db.query<{ on_hand: number; reserved: number }>(
      `SELECT on_hand, reserved FROM inventory.stock WHERE sku = $1`,
      [sku],
    );
    return rows[0];
  };
  const tokens = async (sku: string) => Number(await redis.get(`${built.keyPrefix}tokens:${sku}`));
  const line = (sku: string, quantity = 1): StockLine[] => [{ sku, quantity }];
  const ok = (r: ReserveResult): ReservationView => {
    if (!r.ok) throw new Error(`refused: ${JSON.stringify(r)}`);
    return r.reservation;
  };

  it('2,000 concurrent reserves of one unit on 100 in stock: exactly 100 held, never negative', async () => {
    const sku = `N-${tag}`;
    await built.setStock(sku, 100);
    // Samples availability while the calls run: it must never be seen below zero.
    let sampling = true;
    let lowest = Number.POSITIVE_INFINITY;
    let samples = 0;
    const sampler = (async () => {
      while (sampling && samples < 10_000) {
        const s = await stock(sku);
        lowest = Math.min(lowest, s.on_hand - s.reserved);
        samples++;
      }
    })();
    const results = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) =>
        built.port.reserve(line(sku), { reference: `n-${tag}-${i}` }),
      ),
    );
    sampling = false;
    await sampler;
    expect(results.filter((r) => r.ok)).toHaveLength(100);
    const refused = results.filter((r) => !r.ok);
    expect(refused).toHaveLength(1_900);
    expect(refused.every((r) => !r.ok && r.reason === 'sold_out' && r.available === 0)).toBe(true);
    expect(await stock(sku)).toEqual({ on_hand: 100, reserved: 100 });
    expect(samples).toBeGreaterThan(0);
    expect(lowest).toBeGreaterThanOrEqual(0);
    const held = await db.query<{ n: number; q: number }>(
      `SELECT count(DISTINCT r.id)::int AS n, sum(l.quantity)::int AS q
         FROM inventory.reservations r JOIN inventory.reservation_lines l ON l.reservation_id = r.id
        WHERE l.sku = $1 AND r.status = 'held'`,
      [sku],
    );
    expect(held.rows[0]).toEqual({ n: 100, q: 100 });
    // Only the flip to sold out is published by reserves (besides the admin change).
    const events = await db.query<{ available: number }>(
      `SELECT (payload->>'available')::int AS available FROM inventory.outbox
        WHERE type = 'inventory.stock.changed' AND payload->>'sku' = $1 ORDER BY occurred_at`,
      [sku],
    );
    expect(events.rows.map((r) => r.available)).toEqual([100, 0]);
  });

  it('hot mode, 5,000 concurrent reserves on 100: exactly 100 held; refusals never reach PostgreSQL', async () => {
    const sku = `H-${tag}`;
    await built.setStock(sku, 100, true);
    expect(await tokens(sku)).toBe(100);
    const runs = await Promise.all(
      Array.from({ length: 5_000 }, (_, i) =>
        host.call<ReserveResult>('reserve', line(sku), { reference: `h-${tag}-${i}` }),
      ),
    );
    const admitted = runs.filter((r) => r.value.ok);
    const refused = runs.filter((r) => !r.value.ok);
    expect(admitted).toHaveLength(100);
    expect(refused).toHaveLength(4_900);
    expect(refused.every((r) => !r.value.ok && r.value.reason === 'sold_out')).toBe(true);
    // Not one SQL statement for any refusal; the 100 admissions are the only database work.
    expect(refused.reduce((n, r) => n + r.statements, 0)).toBe(0);
    expect(admitted.every((r) => r.statements > 0 && r.statements < 15)).toBe(true);
    expect(await stock(sku)).toEqual({ on_hand: 100, reserved: 100 });
    expect(await tokens(sku)).toBe(0);
    expect(await redis.zcard(`${built.keyPrefix}adm:${sku}`)).toBe(0);

    // Released stock goes back to the gate, and can be reserved again.
    const first = ok(admitted[0].value);
    expect(await built.port.release(first.id)).toBe(true);
    expect(await tokens(sku)).toBe(1);
    ok(await built.port.reserve(line(sku), { reference: `h-${tag}-again` }));
    expect(await tokens(sku)).toBe(0);
    expect(await stock(sku)).toEqual({ on_hand: 100, reserved: 100 });
    // A retry of an admitted reference finds its reservation even though the SKU is sold out.
    const retry = await built.port.reserve(line(sku), { reference: `h-${tag}-again` });
    expect(retry.ok).toBe(true);
  });

  it('reserve is idempotent per reference; commit and release happen once', async () => {
    const sku = `I-${tag}`;
    await built.setStock(sku, 10);
    const a = ok(await built.port.reserve(line(sku, 3), { reference: `i-${tag}-a` }));
    const again = ok(await built.port.reserve(line(sku, 3), { reference: `i-${tag}-a` }));
    expect(again.id).toBe(a.id);
    expect(again.lines).toEqual([{ sku, quantity: 3 }]);
    expect(await stock(sku)).toEqual({ on_hand: 10, reserved: 3 });

    expect(await built.port.commit(a.id)).toBe(true);
    expect(await built.port.commit(a.id)).toBe(false);
    expect(await built.port.release(a.id)).toBe(false);
    expect(await stock(sku)).toEqual({ on_hand: 7, reserved: 0 });

    const b = ok(await built.port.reserve(line(sku, 2), { reference: `i-${tag}-b` }));
    expect(await built.port.release(b.id)).toBe(true);
    expect(await built.port.release(b.id)).toBe(false);
    expect(await built.port.commit(b.id)).toBe(false);
    expect(await stock(sku)).toEqual({ on_hand: 7, reserved: 0 });
    expect(await built.port.availability([sku, `missing-${tag}`])).toEqual({ [sku]: 7 });
    expect(await built.port.commit('not-a-uuid')).toBe(false);
    expect(await built.port.release('00000000-0000-4000-8000-000000000000')).toBe(false);

    // All lines or none: an unknown SKU refuses the whole reservation.
    const mixed = await built.port.reserve(
      [
        { sku, quantity: 1 },
        { sku: `zz-unknown-${tag}`, quantity: 1 },
      ],
      { reference: `i-${tag}-c` },
    );
    expect(mixed).toEqual({ ok: false, reason: 'unknown_sku', sku: `zz-unknown-${tag}` });
    expect(await stock(sku)).toEqual({ on_hand: 7, reserved: 0 });
    const tooMany = await built.port.reserve(line(sku, 8), { reference: `i-${tag}-d` });
    expect(tooMany).toEqual({ ok: false, reason: 'sold_out', sku, available: 7 });
  });

  it('the sweeper expires a reservation made through the port once its ttl passed', async () => {
    const sku = `E-${tag}`;
    await built.setStock(sku, 4);
    const r = ok(await built.port.reserve(line(sku, 4), { reference: `e-${tag}`, ttlMs: 300 }));
    expect(await stock(sku)).toEqual({ on_hand: 4, reserved: 4 });
    await eventually(async () => expect(await stock(sku)).toEqual({ on_hand: 4, reserved: 0 }));
    expect(await built.port.commit(r.id)).toBe(false);
    const { rows } = await db.query(
      `SELECT 1 FROM inventory.outbox WHERE type = 'inventory.reservation.expired'
        AND payload->>'reservationId' = $1`,
      [r.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('the reconciler repairs a wrong counter without double-counting admissions in flight', async () => {
    const sku = `R-${tag}`;
    await built.setStock(sku, 50, true);
    ok(await built.port.reserve(line(sku, 4), { reference: `r-${tag}-done` }));
    expect(await tokens(sku)).toBe(46);
    const adm = `${built.keyPrefix}adm:${sku}`;
    const [seconds] = await redis.time();
    const now = Number(seconds) * 1000;
    // A process killed between gate and database: its 3 tokens are gone, its record is old.
    await redis.zadd(adm, now - 120_000, `3:r-${tag}-crashed`);
    // A reservation whose database step committed but whose record was not removed yet.
    await redis.zadd(adm, now, `4:r-${tag}-done`);
    // An admission in flight right now: its 2 tokens are rightly taken.
    await redis.zadd(adm, now, `2:r-${tag}-inflight`);
    // And the counter itself set wrong by hand.
    await redis.set(`${built.keyPrefix}tokens:${sku}`, 3);

    // The scheduled reconcile (every 300 ms) brings it to available (46) minus in flight (2).
    await eventually(async () => expect(await tokens(sku)).toBe(44));
    expect(await redis.zrange(adm, 0, -1)).toEqual([`2:r-${tag}-inflight`]);
    // Once that admission settles (here: dropped by hand), tokens equal PostgreSQL again.
    await redis.zrem(adm, `2:r-${tag}-inflight`);
    expect(await built.reconcile(sku)).toBe(46);
    // Not hot any more: the gate stops guarding the SKU.
    await built.setStock(sku, 50, false);
    expect(await redis.exists(`${built.keyPrefix}tokens:${sku}`)).toBe(0);
  });
});
