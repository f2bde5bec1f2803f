import { Module, type DynamicModule } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentWebhooksController } from './api/payment-webhooks.controller.js';
import { PAYMENT_PROVIDER } from './application/payment-provider.port.js';
import { PaymentIntentOpener } from './application/payment-intent-opener.js';
import { PaymentQueryService } from './application/payment-query.service.js';
import { ProviderEventProcessor } from './application/provider-event.processor.js';
import { WebhookIntakeService } from './application/webhook-intake.service.js';
import { PaymentIntentEntity } from './infrastructure/payment-intent.entity.js';
import { ProviderEventEntity } from './infrastructure/provider-event.entity.js';
import { TestPaymentProvider } from './infrastructure/test-provider/test-payment-provider.js';
import { TestProviderStore } from './infrastructure/test-provider/test-provider-store.js';
import { TEST_PROVIDER_QUEUE } from './infrastructure/test-provider/test-provider.queue.js';
import { TestProviderWorker } from './infrastructure/test-provider/test-provider.worker.js';
import { TestWebhookTarget } from './infrastructure/test-provider/webhook-target.js';
import { PAYMENTS_PORT } from './payments.contract.js';

/** Tables the payments context maps; the migration CLI and the drift check load them. */
export const PAYMENTS_ENTITIES: (new () => object)[] = [PaymentIntentEntity, ProviderEventEntity];

/** Payment intents through a provider port, and the provider's webhooks. */
@Module({})
export class PaymentsModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: PaymentsModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature(PAYMENTS_ENTITIES),
        BullModule.registerQueue({ name: TEST_PROVIDER_QUEUE }),
      ],
      controllers: options.api ? [PaymentWebhooksController] : [],
      providers: [
        PaymentQueryService,
        { provide: PAYMENTS_PORT, useExisting: PaymentQueryService },
        // PAYMENTS_PROVIDER has one value today ('test'); a real provider adds its adapter here.
        TestProviderStore,
        TestPaymentProvider,
        { provide: PAYMENT_PROVIDER, useExisting: TestPaymentProvider },
        ...(options.api ? [WebhookIntakeService] : []),
        ...(options.worker
          ? [PaymentIntentOpener, ProviderEventProcessor, TestWebhookTarget, TestProviderWorker]
          : []),
      ],
      exports: [PAYMENTS_PORT],
    };
  }
}
