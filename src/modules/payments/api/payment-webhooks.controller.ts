import { Controller, Headers, HttpCode, Inject, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../../../platform/auth/access.decorator.js';
import { PAYMENT_PROVIDER, type PaymentProvider } from '../application/payment-provider.port.js';
import { WebhookIntakeService } from '../application/webhook-intake.service.js';

class WebhookAckDto {
  received: true;
  duplicate: boolean;
}

/**
 * The provider's webhook. Public (the provider has no token): the signature over the raw body is
 * the authentication. It acknowledges once the event is recorded; a worker applies it.
 */
@ApiTags('payments')
@Controller('api/v1/payments/webhooks')
export class PaymentWebhooksController {
  constructor(
    private readonly intake: WebhookIntakeService,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  @Post('test')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: WebhookAckDto })
  async test(
    @Req() request: RawBodyRequest<FastifyRequest>,
    @Headers('scaleshop-signature') signature: string | undefined,
  ): Promise<WebhookAckDto> {
    const { duplicate } = await this.intake.receive({
      provider: this.provider.name,
      signature,
      rawBody: request.rawBody,
    });
    return { received: true, duplicate };
  }
}
