import type { CatalogPort, VariantSummary } from '../../catalog/catalog.contract.js';
import type {
  InventoryPort,
  ReserveResult,
  StockLine,
} from '../../inventory/inventory.contract.js';
import type { StoredIdempotencyKey } from '../domain/idempotency-decision.js';
import { requestHash } from '../domain/request-hash.js';
import type { RequestedLine } from '../domain/order-pricing.js';
import {
  EmptyCartError,
  IdempotencyKeyReusedError,
  RequestInProgressError,
  SoldOutError,
  UnknownSkuError,
} from '../domain/ordering.errors.js';
import type { CartLines, IdempotencyStore, NewOrder, OrderPlacement } from './checkout.ports.js';
import { CheckoutService, type CheckoutCommand } from './checkout.service.js';
import type { OrderView } from './order-view.js';

const variant = (sku: string, priceMinor: number, active = true): VariantSummary => ({
  sku,
  variantId: `v-${sku}`,
  productId: `p-${sku}`,
  productName: `Product ${sku}`,
  priceMinor,
  currency: 'EUR',
  active,
});

class FakeKeys implements IdempotencyStore {
  rows = new Map<string, StoredIdempotencyKey>();
  async claim(c: string, k: string, hash: string, expiresAt: Date) {
    if (this.rows.has(`${c}/${k}`)) return false;
    this.rows.set(`${c}/${k}`, {
      requestHash: hash,
      status: 'in_progress',
      responseStatus: null,
      responseBody: null,
      expiresAt,
    });
    return true;
  }
  async find(c: string, k: string) {
    return this.rows.get(`${c}/${k}`) ?? null;
  }
  async removeExpired(c: string, k: string) {
    const row = this.rows.get(`${c}/${k}`);
    if (row && row.expiresAt.getTime() <= Date.now()) this.rows.delete(`${c}/${k}`);
  }
  async release(c: string, k: string) {
    if (this.rows.get(`${c}/${k}`)?.status === 'in_progress') this.rows.delete(`${c}/${k}`);
  }
  async complete(c: string, k: string, status: number, body: unknown) {
    const row = this.rows.get(`${c}/${k}`);
    if (row)
      Object.assign(row, { status: 'completed', responseStatus: status, responseBody: body });
  }
}

class FakeOrders implements OrderPlacement {
  placed: NewOrder[] = [];
  clearedCart: string[] | null = null;
  failWith?: Error;
  constructor(private readonly keys: FakeKeys) {}
  async place(
    order: NewOrder,
    options: { idempotency: { customerId: string; key: string }; clearCartSkus: string[] | null },
  ) {
    if (this.failWith) throw this.failWith;
    this.placed.push(order);
    this.clearedCart = options.clearCartSkus;
    const { customerId, key } = options.idempotency;
    await this.keys.complete(customerId, key, 201, order.view);
  }
}

class FakeInventory implements InventoryPort {
  stock = new Map<string, number>();
  reserved: { lines: StockLine[]; reference: string; id: string }[] = [];
  released: string[] = [];
  async reserve(
    lines: readonly StockLine[],
    options: { reference: string },
  ): Promise<ReserveResult> {
    for (const l of lines) {
      const available = this.stock.get(l.sku);
      if (available === undefined) return { ok: false, reason: 'unknown_sku', sku: l.sku };
      if (available < l.quantity) return { ok: false, reason: 'sold_out', sku: l.sku, available };
    }
    for (const l of lines) this.stock.set(l.sku, (this.stock.get(l.sku) ?? 0) - l.quantity);
    const id = `r${this.reserved.length + 1}`;
    this.reserved.push({ lines: [...lines], reference: options.reference, id });
    return {
      ok: true,
      reservation: {
        id,
        reference: options.reference,
        status: 'held',
        lines: [...lines],
        expiresAt: '',
      },
    };
  }
  async commit() {
    return true;
  }
  async release(id: string) {
    this.released.push(id);
    const r = this.reserved.find((x) => x.id === id);
    for (const l of r?.lines ?? [])
      this.stock.set(l.sku, (this.stock.get(l.sku) ?? 0) + l.quantity);
    return true;
  }
  async availability() {
    return {};
  }
  /** SKUs the fake's "gate" knows to be sold out (the real one: hot SKUs' Redis counters). */
  gated = new Set<string>();
  async knownSoldOut(lines: readonly StockLine[]) {
    const short = lines.find(
      (l) => this.gated.has(l.sku) && (this.stock.get(l.sku) ?? 0) < l.quantity,
    );
    return short?.sku ?? null;
  }
}

function setup() {
  const variants = [variant('A', 1000), variant('B', 250), variant('OFF', 100, false)];
  const catalog: CatalogPort = {
    findProducts: async () => [],
    findVariantsBySku: async (skus) => variants.filter((v) => skus.includes(v.sku)),
  };
  const keys = new FakeKeys();
  const orders = new FakeOrders(keys);
  const inventory = new FakeInventory();
  inventory.stock.set('A', 5).set('B', 100).set('OFF', 100);
  const cartLines: RequestedLine[] = [];
  const cart: CartLines = { lines: async () => cartLines };
  const config = { ordering: { idempotencyTtlS: 3600, partitionsAhead: 3 } };
  const service = new CheckoutService(catalog, keys, orders, cart, config, inventory);
  return { service, keys, orders, inventory, cartLines };
}

const cmd = (over: Partial<CheckoutCommand> = {}): CheckoutCommand => ({
  customerId: 'c1',
  idempotencyKey: 'k1',
  paymentMethod: 'pm_card_visa',
  items: [{ sku: 'A', quantity: 2 }],
  ...over,
});

describe('CheckoutService', () => {
  it('prices from the catalog, reserves with the order id as reference and places one order', async () => {
    const { service, orders, inventory } = setup();
    const res = await service.checkout(
      cmd({
        items: [
          { sku: 'A', quantity: 2 },
          { sku: 'B', quantity: 1 },
          { sku: 'A', quantity: 1 },
        ],
      }),
    );
    expect(res.status).toBe(201);
    expect(res.replayed).toBe(false);
    const body = res.body as OrderView;
    expect(body.totalMinor).toBe(3 * 1000 + 250);
    expect(body.lines.map((l) => [l.sku, l.quantity])).toEqual([
      ['A', 3],
      ['B', 1],
    ]);
    expect(orders.placed).toHaveLength(1);
    expect(inventory.reserved[0].reference).toBe(body.id);
    expect(orders.placed[0].reservationId).toBe('r1');
    expect(orders.clearedCart).toBeNull(); // buy now leaves the cart alone
  });

  it('replays the stored response for the same key and body, without a second order', async () => {
    const { service, orders, inventory } = setup();
    const first = await service.checkout(cmd());
    const again = await service.checkout(cmd());
    expect(again).toEqual({ status: 201, body: first.body, replayed: true });
    expect(orders.placed).toHaveLength(1);
    expect(inventory.reserved).toHaveLength(1);
  });

  it('refuses the same key with another body (422) and a retry while the first runs (409)', async () => {
    const { service, keys } = setup();
    await service.checkout(cmd());
    await expect(service.checkout(cmd({ paymentMethod: 'pm_other' }))).rejects.toBeInstanceOf(
      IdempotencyKeyReusedError,
    );
    // Another request with the same body holds k2 and has not finished yet.
    const hash = requestHash({ paymentMethod: 'pm_card_visa', items: [{ sku: 'A', quantity: 2 }] });
    await keys.claim('c1', 'k2', hash, new Date(Date.now() + 60_000));
    await expect(service.checkout(cmd({ idempotencyKey: 'k2' }))).rejects.toBeInstanceOf(
      RequestInProgressError,
    );
  });

  it('keys are scoped to the customer', async () => {
    const { service, orders } = setup();
    await service.checkout(cmd());
    const other = await service.checkout(cmd({ customerId: 'c2' }));
    expect(other.replayed).toBe(false);
    expect(orders.placed).toHaveLength(2);
  });

  it('sold out: no order, and the key stores nothing (a retry meets the stock of its moment)', async () => {
    const { service, orders, keys, inventory } = setup();
    const sixOfA = cmd({ items: [{ sku: 'A', quantity: 6 }] });
    await expect(service.checkout(sixOfA)).rejects.toBeInstanceOf(SoldOutError);
    expect(orders.placed).toHaveLength(0);
    expect(await keys.find('c1', 'k1')).toBeNull();
    inventory.stock.set('A', 10);
    const retry = await service.checkout(sixOfA);
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe(false);
  });

  it('a SKU inventory knows to be sold out is refused before the key is claimed', async () => {
    const { service, orders, keys, inventory } = setup();
    inventory.gated.add('A');
    const sixOfA = cmd({ items: [{ sku: 'A', quantity: 6 }] });
    await expect(service.checkout(sixOfA)).rejects.toBeInstanceOf(SoldOutError);
    expect(inventory.reserved).toHaveLength(0);
    expect(keys.rows.size).toBe(0);
    expect(orders.placed).toHaveLength(0);
  });

  it('an existing key is replayed even when its SKU has sold out since', async () => {
    const { service, inventory } = setup();
    inventory.gated.add('A');
    const twoOfA = cmd({ items: [{ sku: 'A', quantity: 2 }] });
    const first = await service.checkout(twoOfA);
    expect(first.status).toBe(201);
    inventory.stock.set('A', 0);
    const again = await service.checkout(twoOfA);
    expect(again).toMatchObject({ status: 201, replayed: true, body: first.body });
  });

  it('order transaction failure: the reservation is released, the key freed, the error rethrown', async () => {
    const { service, orders, inventory, keys } = setup();
    orders.failWith = new Error('insert failed');
    await expect(service.checkout(cmd())).rejects.toThrow('insert failed');
    expect(inventory.released).toEqual(['r1']);
    expect(inventory.stock.get('A')).toBe(5);
    expect(await keys.find('c1', 'k1')).toBeNull();
    // a retry with the same key can now run
    orders.failWith = undefined;
    const retry = await service.checkout(cmd());
    expect(retry.status).toBe(201);
    expect(retry.replayed).toBe(false);
  });

  it('unknown or inactive SKU: 422 before any reservation, and the key stores nothing', async () => {
    const { service, inventory, keys } = setup();
    await expect(
      service.checkout(cmd({ items: [{ sku: 'NOPE', quantity: 1 }] })),
    ).rejects.toBeInstanceOf(UnknownSkuError);
    await expect(
      service.checkout(cmd({ idempotencyKey: 'k2', items: [{ sku: 'OFF', quantity: 1 }] })),
    ).rejects.toBeInstanceOf(UnknownSkuError);
    expect(inventory.reserved).toHaveLength(0);
    expect(keys.rows.size).toBe(0);
  });

  it('checks out the cart (and says which SKUs to clear); an empty cart is 422', async () => {
    const { service, orders, cartLines } = setup();
    await expect(service.checkout(cmd({ items: undefined }))).rejects.toBeInstanceOf(
      EmptyCartError,
    );
    cartLines.push({ sku: 'B', quantity: 4 });
    const res = await service.checkout(cmd({ items: undefined }));
    expect((res.body as OrderView).totalMinor).toBe(1000);
    expect(orders.clearedCart).toEqual(['B']);
  });
});
