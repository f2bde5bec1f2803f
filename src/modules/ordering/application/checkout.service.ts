import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { CATALOG_PORT, type CatalogPort } from '../../catalog/catalog.contract.js';
import { INVENTORY_PORT, type InventoryPort } from '../../inventory/inventory.contract.js';
import { decideOnExistingKey } from '../domain/idempotency-decision.js';
import { mergeLines, priceOrder, type RequestedLine } from '../domain/order-pricing.js';
import {
  EmptyCartError,
  IdempotencyKeyReusedError,
  InventoryUnavailableError,
  RequestInProgressError,
  SoldOutError,
  UnknownSkuError,
} from '../domain/ordering.errors.js';
import { requestHash } from '../domain/request-hash.js';
import {
  CART_LINES,
  IDEMPOTENCY_STORE,
  ORDER_PLACEMENT,
  type CartLines,
  type IdempotencyStore,
  type OrderPlacement,
} from './checkout.ports.js';
import type { OrderView } from './order-view.js';

export interface CheckoutCommand {
  customerId: string;
  idempotencyKey: string;
  paymentMethod: string;
  /** "Buy now" lines; absent: the customer's cart. */
  items?: RequestedLine[];
}

/** The response to send: the first one, or the stored one replayed. */
export interface CheckoutResult {
  status: number;
  body: unknown;
  replayed: boolean;
}

/**
 * Places an order from the cart or from "buy now" lines, exactly once per Idempotency-Key.
 * Stock is reserved before the order exists and released if the order cannot be written
 * (reservation and compensation; no transaction spans inventory and ordering). A sold-out
 * refusal known to inventory costs one Redis read and one key lookup; any other refusal costs the key's
 * claim, one catalog read, the reservation attempt and the release of the claim.
 */
@Injectable()
export class CheckoutService {
  private readonly logger = new Logger('CheckoutService');

  constructor(
    @Inject(CATALOG_PORT) private readonly catalog: CatalogPort,
    @Inject(IDEMPOTENCY_STORE) private readonly keys: IdempotencyStore,
    @Inject(ORDER_PLACEMENT) private readonly orders: OrderPlacement,
    @Inject(CART_LINES) private readonly cart: CartLines,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'ordering'>,
    // Optional so that a process hosting ordering without inventory still boots: checkout then
    // answers 503 instead of the whole app refusing to start.
    @Optional() @Inject(INVENTORY_PORT) private readonly inventory?: InventoryPort | null,
  ) {}

  async checkout(cmd: CheckoutCommand): Promise<CheckoutResult> {
    const hash = requestHash({ paymentMethod: cmd.paymentMethod, items: cmd.items });
    await this.refuseKnownSoldOut(cmd);
    const replay = await this.claim(cmd.customerId, cmd.idempotencyKey, hash);
    if (replay) return replay;
    try {
      const order = await this.place(cmd);
      return { status: 201, body: order, replayed: false };
    } catch (err) {
      await this.releaseClaim(cmd);
      throw err;
    }
  }

  /**
   * The flash-sale fast path: "buy now" lines that inventory already knows to be sold out (one
   * Redis read) are refused before the key is claimed — unless the key exists, whose own answer
   * (say, the order this customer placed before the sale ended) must be replayed instead.
   */
  private async refuseKnownSoldOut(cmd: CheckoutCommand): Promise<void> {
    if (!cmd.items || !this.inventory) return;
    const sku = await this.inventory.knownSoldOut(mergeLines(cmd.items));
    if (sku && !(await this.keys.find(cmd.customerId, cmd.idempotencyKey)))
      throw new SoldOutError(sku, 0);
  }

  /** Null when this request owns the key now; otherwise the stored response to replay. */
  private async claim(
    customerId: string,
    key: string,
    hash: string,
  ): Promise<CheckoutResult | null> {
    // Two rounds at most: an expired key is removed once, a released claim is taken once.
    for (let round = 0; round < 2; round++) {
      const now = new Date();
      const expiresAt = new Date(now.getTime() + this.config.ordering.idempotencyTtlS * 1000);
      if (await this.keys.claim(customerId, key, hash, expiresAt)) return null;
      const stored = await this.keys.find(customerId, key);
      if (!stored) continue;
      const decision = decideOnExistingKey(stored, hash, now);
      switch (decision.action) {
        case 'replay':
          return { status: decision.status, body: decision.body, replayed: true };
        case 'reject_reused':
          throw new IdempotencyKeyReusedError();
        case 'reject_in_progress':
          throw new RequestInProgressError();
        case 'reclaim':
          await this.keys.removeExpired(customerId, key);
      }
    }
    throw new RequestInProgressError();
  }

  private async place(cmd: CheckoutCommand): Promise<OrderView> {
    const fromCart = cmd.items === undefined;
    const requested = mergeLines(cmd.items ?? (await this.cart.lines(cmd.customerId)));
    if (requested.length === 0) throw new EmptyCartError();
    const priced = priceOrder(
      await this.catalog.findVariantsBySku(requested.map((l) => l.sku)),
      requested,
    );
    if (!this.inventory) throw new InventoryUnavailableError();
    const orderId = randomUUID();
    const reserved = await this.inventory.reserve(
      priced.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
      { reference: orderId },
    );
    if (!reserved.ok) {
      if (reserved.reason === 'sold_out') throw new SoldOutError(reserved.sku, reserved.available);
      throw new UnknownSkuError([reserved.sku]); // the catalog sells it, inventory keeps no stock
    }
    const view: OrderView = {
      id: orderId,
      status: 'pending_payment',
      lines: priced.lines,
      totalMinor: priced.totalMinor,
      currency: priced.currency,
      placedAt: new Date().toISOString(),
    };
    try {
      await this.orders.place(
        {
          view,
          customerId: cmd.customerId,
          reservationId: reserved.reservation.id,
          paymentMethod: cmd.paymentMethod,
        },
        {
          idempotency: { customerId: cmd.customerId, key: cmd.idempotencyKey },
          clearCartSkus: fromCart ? requested.map((l) => l.sku) : null,
        },
      );
    } catch (err) {
      await this.compensate(reserved.reservation.id);
      throw err;
    }
    return view;
  }

  /**
   * A failure stores nothing: validation failures must not bind the key, after an unexpected
   * error a retry must be able to run, and a sold-out refusal changed nothing, so a retry is
   * answered by the stock of its own moment (the fast path above could not store it cheaply
   * either, and both paths must agree).
   */
  private async releaseClaim(cmd: CheckoutCommand): Promise<void> {
    const { customerId, idempotencyKey: key } = cmd;
    try {
      await this.keys.release(customerId, key);
    } catch (releaseErr) {
      // The original error is the one to report; the claim then lapses with its expiry.
      this.logger.error(`could not release idempotency key: ${String(releaseErr)}`);
    }
  }

  /** Gives the stock back; if even that fails, the reservation's expiry will. */
  private async compensate(reservationId: string): Promise<void> {
    try {
      await this.inventory?.release(reservationId);
    } catch (err) {
      this.logger.error(`release of reservation ${reservationId} failed: ${String(err)}`);
    }
  }
}
