import { Body, Controller, Headers, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Customer } from '../../../platform/auth/access.decorator.js';
import { CurrentPrincipal } from '../../../platform/auth/current-principal.decorator.js';
import type { Principal } from '../../../platform/auth/principal.js';
import { CheckoutService } from '../application/checkout.service.js';
import { IdempotencyKeyRequiredError } from '../domain/ordering.errors.js';
import { CheckoutDto } from './checkout.dto.js';

/** Places an order, exactly once per Idempotency-Key of the caller. */
@ApiTags('checkout')
@ApiBearerAuth()
@Controller('api/v1/checkout')
export class CheckoutController {
  constructor(private readonly checkout: CheckoutService) {}

  @Post()
  @Customer()
  @ApiHeader({ name: 'Idempotency-Key', required: true, description: '1 to 200 characters' })
  async place(
    @CurrentPrincipal() me: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: CheckoutDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<unknown> {
    if (typeof key !== 'string' || key.length < 1 || key.length > 200) {
      throw new IdempotencyKeyRequiredError();
    }
    const result = await this.checkout.checkout({
      customerId: me.accountId,
      idempotencyKey: key,
      paymentMethod: body.paymentMethod,
      items: body.items?.map((i) => ({ sku: i.sku, quantity: i.quantity })),
    });
    void reply.status(result.status);
    if (result.replayed) {
      void reply.header('Idempotent-Replayed', 'true');
      if (result.status >= 400) void reply.type('application/problem+json');
    }
    return result.body;
  }
}
