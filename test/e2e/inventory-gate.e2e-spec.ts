import { Redis } from 'ioredis';
import {
  ADMIT_SCRIPT,
  GIVE_BACK_SCRIPT,
  RECONCILE_SCRIPT,
  SETTLE_SCRIPT,
} from '../../src/modules/inventory/infrastructure/hot-sku.scripts.js';
import { QUEUE_REDIS_URL } from '../support/test-env.js';

/**
 * The hot-SKU gate's arithmetic, run where it runs: the Lua scripts on the real queue Redis
 * (they are atomic only there), under a per-run key prefix.
 */
describe('inventory: hot-SKU gate scripts', () => {
  let redis: Redis;
  const p = `t${process.pid}-${Date.now().toString(36)}:inventory:`;
  const tokens = (sku: string) => `${p}tokens:${sku}`;
  const adm = (sku: string) => `${p}adm:${sku}`;
  const ref = (r: string) => `${p}ref:${r}`;

  const admit = async (reference: string, lines: [string, number][]) =>
    (await redis.eval(
      ADMIT_SCRIPT,
      1 + lines.length * 2,
      ref(reference),
      ...lines.flatMap(([sku]) => [tokens(sku), adm(sku)]),
      reference,
      60_000,
      ...lines.map(([, q]) => q),
    )) as number[];
  const settle = (reference: string, outcome: string, lines: [string, number][]) =>
    redis.eval(
      SETTLE_SCRIPT,
      1 + lines.length * 2,
      ref(reference),
      ...lines.flatMap(([sku]) => [tokens(sku), adm(sku)]),
      reference,
      outcome,
      ...lines.map(([, q]) => q),
    );
  const reconcile = async (sku: string, available: number, graceMs: number, done: string[]) =>
    (await redis.eval(
      RECONCILE_SCRIPT,
      2,
      tokens(sku),
      adm(sku),
      available,
      graceMs,
      ...done,
    )) as number[];
  const count = async (sku: string) => Number(await redis.get(tokens(sku)));

  beforeAll(() => {
    redis = new Redis(QUEUE_REDIS_URL);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${p}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('admits all hot lines or none, and lets SKUs without a counter through', async () => {
    await redis.set(tokens('a'), 5);
    await redis.set(tokens('b'), 1);
    // b cannot give 2: nothing is taken from a either.
    expect(
      await admit('r1', [
        ['a', 3],
        ['b', 2],
      ]),
    ).toEqual([0, 2, 1]);
    expect([await count('a'), await count('b')]).toEqual([5, 1]);
    expect(await redis.exists(ref('r1'))).toBe(0);
    // c has no counter (not hot): only a and b are admitted.
    expect(
      await admit('r2', [
        ['a', 3],
        ['b', 1],
        ['c', 9],
      ]),
    ).toEqual([1, 1, 2]);
    expect([await count('a'), await count('b')]).toEqual([2, 0]);
    expect(await redis.zrange(adm('a'), 0, -1)).toEqual(['3:r2']);
    expect(await admit('r3', [['c', 9]])).toEqual([2]);
    // A retry of an admitted reference skips the gate (it must find its reservation).
    expect(await admit('r2', [['b', 1]])).toEqual([-1]);
  });

  it('settles: reserved keeps the tokens, refused gives them back, both drop the record', async () => {
    await redis.set(tokens('s'), 4);
    await admit('ok', [['s', 3]]);
    await settle('ok', 'reserved', [['s', 3]]);
    expect(await count('s')).toBe(1);
    expect(await redis.zcard(adm('s'))).toBe(0);
    expect(await redis.exists(ref('ok'))).toBe(1);
    await admit('no', [['s', 1]]);
    await settle('no', 'refused', [['s', 1]]);
    expect(await count('s')).toBe(1);
    expect(await redis.zcard(adm('s'))).toBe(0);
    expect(await redis.exists(ref('no'))).toBe(0);
    // Giving back to a SKU that stopped being hot must not make it hot again.
    await redis.eval(GIVE_BACK_SCRIPT, 2, tokens('s'), tokens('gone'), 2, 5);
    expect(await count('s')).toBe(3);
    expect(await redis.exists(tokens('gone'))).toBe(0);
  });

  it('reconciles to available minus young admissions not yet in the database, never below 0', async () => {
    const [seconds] = await redis.time();
    const now = Number(seconds) * 1000;
    await redis.set(tokens('x'), 999);
    await redis.zadd(adm('x'), now - 10_000, '5:crashed', now, '2:flying', now, '4:committed');
    expect(await reconcile('x', 20, 5_000, ['committed'])).toEqual([18, 2]);
    expect(await count('x')).toBe(18);
    expect(await redis.zrange(adm('x'), 0, -1)).toEqual(['2:flying']);
    // More in flight than available (the database will refuse some): the counter stops at 0.
    expect(await reconcile('x', 1, 5_000, [])).toEqual([0, 2]);
  });
});
