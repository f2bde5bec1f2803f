import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readQuery } from '../../../platform/database/read-query.js';
import type { OrderStatus } from '../ordering.contract.js';
import { decodeOrderCursor, encodeOrderCursor } from '../domain/order-cursor.js';
import { OrderNotFoundError } from '../domain/ordering.errors.js';
import { ORDER_BY_ID, orderListQuery } from '../infrastructure/order-list.sql.js';
import { toAdminOrderView, toOrderView, type OrderRow } from '../infrastructure/order-rows.js';
import type { AdminOrderView, OrderPage, OrderView } from './order-view.js';

export const MAX_ORDER_PAGE = 100;
export const DEFAULT_ORDER_PAGE = 20;

export interface AdminOrderFilter {
  status?: OrderStatus;
  customerId?: string;
  placedFrom?: string;
  placedTo?: string;
  limit?: number;
  cursor?: string;
}

/**
 * Reads of orders. Lists come from a replica (a moment behind is fine for a list); one order by
 * id is read from a replica and, when not found there, confirmed on the primary, so an order the
 * customer has just placed is never reported missing.
 */
@Injectable()
export class OrderQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async customerOrder(customerId: string, id: string): Promise<OrderView> {
    return toOrderView(await this.one(id, customerId));
  }

  async adminOrder(id: string): Promise<AdminOrderView> {
    return toAdminOrderView(await this.one(id));
  }

  async customerOrders(
    customerId: string,
    limit?: number,
    cursor?: string,
  ): Promise<OrderPage<OrderView>> {
    const page = await this.list({ customerId, limit, cursor });
    return { items: page.items.map(toOrderView), nextCursor: page.nextCursor };
  }

  async adminOrders(filter: AdminOrderFilter): Promise<OrderPage<AdminOrderView>> {
    const page = await this.list(filter);
    return { items: page.items.map(toAdminOrderView), nextCursor: page.nextCursor };
  }

  private async one(id: string, customerId?: string): Promise<OrderRow> {
    const sql = ORDER_BY_ID;
    const params = [id, customerId ?? null];
    const [fromReplica] = await readQuery<OrderRow>(this.dataSource, sql, params);
    if (fromReplica) return fromReplica;
    const [fromPrimary] = (await this.dataSource.query(sql, params)) as OrderRow[];
    if (!fromPrimary) throw new OrderNotFoundError();
    return fromPrimary;
  }

  private async list(filter: AdminOrderFilter): Promise<OrderPage<OrderRow>> {
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_ORDER_PAGE, 1), MAX_ORDER_PAGE);
    const after = filter.cursor ? decodeOrderCursor(filter.cursor) : undefined;
    const { sql, params } = orderListQuery({ ...filter, after }, limit);
    const rows = await readQuery<OrderRow>(this.dataSource, sql, params);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        rows.length > limit && last
          ? encodeOrderCursor({ placedAt: new Date(last.placedAt).toISOString(), id: last.id })
          : null,
    };
  }
}
