import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Customer } from '../../../platform/auth/access.decorator.js';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.decorator.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { OrderQueries } from '../application/order-queries.service.js';
import { OrderTransitions } from '../application/order-transitions.service.js';
import type { OrderPage, OrderView } from '../application/order-view.js';
import { OrdersQueryDto } from './orders.dto.js';

const uuid = () => new ParseUUIDPipe({ version: '4' });

/**
 * The caller's own orders. Another customer's order id answers 404 like an unknown one: its
 * existence is not revealed.
 */
@ApiTags('orders')
@ApiBearerAuth()
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
  ) {}

  @Get()
  @Customer()
  list(
    @CurrentPrincipal() me: Principal,
    @Query() query: OrdersQueryDto,
  ): Promise<OrderPage<OrderView>> {
    return this.orders.customerOrders(me.accountId, query.limit, query.cursor);
  }

  @Get(':id')
  @Customer()
  get(@CurrentPrincipal() me: Principal, @Param('id', uuid()) id: string): Promise<OrderView> {
    return this.orders.customerOrder(me.accountId, id);
  }

  /** Only while unpaid; the reservation is released by inventory on `ordering.order.cancelled`. */
  @Post(':id/cancel')
  @Customer()
  @HttpCode(200)
  async cancel(
    @CurrentPrincipal() me: Principal,
    @Param('id', uuid()) id: string,
  ): Promise<OrderView> {
    await this.transitions.command(id, 'cancelled', { cancelReason: 'customer' }, me.accountId);
    return this.orders.customerOrder(me.accountId, id);
  }
}
