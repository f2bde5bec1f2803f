import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import type { StockLine } from '../inventory.contract.js';
import {
  ADMIT_SCRIPT,
  GIVE_BACK_SCRIPT,
  RECONCILE_SCRIPT,
  SETTLE_SCRIPT,
} from './hot-sku.scripts.js';

/** A retry of a reference skips the gate for this long (longer than any checkout retry). */
const REF_TTL_MS = 24 * 3600 * 1000;

/** What the gate said about a reservation's lines. */
export type GateDecision =
  | { kind: 'skip' } // no hot line, or a retry of a known reference: straight to PostgreSQL
  | { kind: 'refused'; sku: string; tokens: number }
  | { kind: 'admitted'; lines: StockLine[] };

type ScriptFn = (...args: (string | number)[]) => Promise<unknown>;
type GateRedis = Redis & {
  invAdmit: ScriptFn;
  invSettle: ScriptFn;
  invGiveBack: ScriptFn;
  invReconcile: ScriptFn;
};

/**
 * The Redis side of hot-SKU mode, on the QUEUE Redis: it never evicts, so a token counter cannot
 * silently vanish (which would let every caller through to PostgreSQL, still safe but slow).
 * PostgreSQL stays the source of truth; the gate only keeps refusals away from it.
 */
@Injectable()
export class HotSkuGate implements OnApplicationShutdown {
  private readonly redis: GateRedis;
  private readonly prefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.prefix = `${config.queue.prefix}:inventory:`;
    const redis = new Redis(config.queue.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
    redis.defineCommand('invAdmit', { lua: ADMIT_SCRIPT });
    redis.defineCommand('invSettle', { lua: SETTLE_SCRIPT });
    redis.defineCommand('invGiveBack', { lua: GIVE_BACK_SCRIPT });
    redis.defineCommand('invReconcile', { lua: RECONCILE_SCRIPT });
    this.redis = redis as GateRedis;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => undefined);
  }

  tokensKey(sku: string): string {
    return `${this.prefix}tokens:${sku}`;
  }

  admissionsKey(sku: string): string {
    return `${this.prefix}adm:${sku}`;
  }

  private refKey(reference: string): string {
    return `${this.prefix}ref:${reference}`;
  }

  /** The gate's tokens per SKU: a number for hot SKUs, null for SKUs the gate does not guard. */
  async tokens(skus: readonly string[]): Promise<(number | null)[]> {
    if (skus.length === 0) return [];
    const values = await this.redis.mget(...skus.map((sku) => this.tokensKey(sku)));
    return values.map((v) => (v === null ? null : Number(v)));
  }

  /** Takes tokens for every hot line, or none. `lines` are merged and sorted. */
  async admit(reference: string, lines: readonly StockLine[]): Promise<GateDecision> {
    const keys = [this.refKey(reference)];
    for (const l of lines) keys.push(this.tokensKey(l.sku), this.admissionsKey(l.sku));
    const res = (await this.redis.invAdmit(
      keys.length,
      ...keys,
      reference,
      REF_TTL_MS,
      ...lines.map((l) => l.quantity),
    )) as number[];
    if (res[0] === 0) return { kind: 'refused', sku: lines[res[1] - 1].sku, tokens: res[2] };
    if (res[0] === 1) return { kind: 'admitted', lines: res.slice(1).map((i) => lines[i - 1]) };
    return { kind: 'skip' };
  }

  /** Drops the admission record; gives the tokens back unless PostgreSQL reserved them. */
  async settle(
    reference: string,
    admitted: readonly StockLine[],
    outcome: 'reserved' | 'existing' | 'refused',
  ): Promise<void> {
    const keys = [this.refKey(reference)];
    for (const l of admitted) keys.push(this.tokensKey(l.sku), this.admissionsKey(l.sku));
    await this.redis.invSettle(
      keys.length,
      ...keys,
      reference,
      outcome,
      ...admitted.map((l) => l.quantity),
    );
  }

  /** Stock released or expired on hot SKUs goes back to the gate. */
  async giveBack(lines: readonly StockLine[]): Promise<void> {
    if (lines.length === 0) return;
    await this.redis.invGiveBack(
      lines.length,
      ...lines.map((l) => this.tokensKey(l.sku)),
      ...lines.map((l) => l.quantity),
    );
  }

  /** References of one SKU's unsettled admissions. */
  async admissionReferences(sku: string): Promise<string[]> {
    const members = await this.redis.zrange(this.admissionsKey(sku), 0, -1);
    return members.map((m) => m.slice(m.indexOf(':') + 1));
  }

  /** Sets the SKU's tokens to available minus admissions in flight (see RECONCILE_SCRIPT). */
  async reconcile(
    sku: string,
    available: number,
    graceMs: number,
    doneReferences: readonly string[],
  ): Promise<{ tokens: number; inFlight: number }> {
    const [tokens, inFlight] = (await this.redis.invReconcile(
      2,
      this.tokensKey(sku),
      this.admissionsKey(sku),
      available,
      graceMs,
      ...doneReferences,
    )) as [number, number];
    return { tokens, inFlight };
  }

  /** SKUs that have a token counter, i.e. that the gate treats as hot. */
  async guardedSkus(): Promise<string[]> {
    const head = this.tokensKey('');
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${head}*`, 'COUNT', 500);
      cursor = next;
      found.push(...keys.map((k) => k.slice(head.length)));
    } while (cursor !== '0');
    return found;
  }

  /** The SKU is no longer hot: the gate lets everything through to PostgreSQL. */
  async disable(sku: string): Promise<void> {
    await this.redis.del(this.tokensKey(sku), this.admissionsKey(sku));
  }
}
