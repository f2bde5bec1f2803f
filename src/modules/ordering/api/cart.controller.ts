import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Customer } from '../../../platform/auth/access.decorator.js';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.decorator.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { InvalidInputError } from '../../../platform/errors/common-errors.js';
import { CartService, type CartView } from '../application/cart.service.js';
import { SetCartLineDto, SKU_PATTERN } from './cart.dto.js';

function sku(raw: string): string {
  if (!SKU_PATTERN.test(raw)) throw new InvalidInputError('ordering.invalid_sku', 'Not a SKU');
  return raw;
}

/** The caller's own cart; there is no way to name another customer's. */
@ApiTags('cart')
@ApiBearerAuth()
@Controller('api/v1/cart')
export class CartController {
  constructor(private readonly carts: CartService) {}

  @Get()
  @Customer()
  get(@CurrentPrincipal() me: Principal): Promise<CartView> {
    return this.carts.view(me.accountId);
  }

  @Put('lines/:sku')
  @Customer()
  setLine(
    @CurrentPrincipal() me: Principal,
    @Param('sku') raw: string,
    @Body() body: SetCartLineDto,
  ): Promise<CartView> {
    return this.carts.setLine(me.accountId, sku(raw), body.quantity);
  }

  @Delete('lines/:sku')
  @Customer()
  removeLine(@CurrentPrincipal() me: Principal, @Param('sku') raw: string): Promise<CartView> {
    return this.carts.removeLine(me.accountId, sku(raw));
  }

  @Delete()
  @Customer()
  @HttpCode(204)
  async clear(@CurrentPrincipal() me: Principal): Promise<void> {
    await this.carts.clear(me.accountId);
  }
}
