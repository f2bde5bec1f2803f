import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Admin } from '../../../platform/auth/access.decorator.js';
import { OrderQueries } from '../application/order-queries.service.js';
import { OrderTransitions } from '../application/order-transitions.service.js';
import type { AdminOrderView, OrderPage } from '../application/order-view.js';
import { AdminOrdersQueryDto } from './orders.dto.js';

const uuid = () => new ParseUUIDPipe({ version: '4' });

/** Every customer's orders, for staff. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/orders')
export class AdminOrdersController {
  constructor(
    private readonly orders: OrderQueries,
    private readonly transitions: OrderTransitions,
  ) {}

  @Get()
  @Admin()
  list(@Query() query: AdminOrdersQueryDto): Promise<OrderPage<AdminOrderView>> {
    return this.orders.adminOrders(query);
  }

  @Get(':id')
  @Admin()
  get(@Param('id', uuid()) id: string): Promise<AdminOrderView> {
    return this.orders.adminOrder(id);
  }

  /** Paid → fulfilled (shipped); any other state is 409 ordering.illegal_transition. */
  @Post(':id/fulfil')
  @Admin()
  @HttpCode(200)
  async fulfil(@Param('id', uuid()) id: string): Promise<AdminOrderView> {
    await this.transitions.command(id, 'fulfilled', {});
    return this.orders.adminOrder(id);
  }
}
