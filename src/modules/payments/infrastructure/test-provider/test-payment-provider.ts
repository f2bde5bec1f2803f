import { Inject, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/app-config.js';
import { jobRequestContext } from '../../../../platform/messaging/job-context.js';
import type {
  CreateIntentRequest,
  CreatedIntent,
  IntentReport,
  PaymentProvider,
} from '../../application/payment-provider.port.js';
import { newIntentId, readTestProviderEvent } from './test-provider-events.js';
import { TestProviderStore } from './test-provider-store.js';
import { confirmJobId, TEST_PROVIDER_QUEUE, type ConfirmJob } from './test-provider.queue.js';

/**
 * The built-in provider. It behaves like a real one: idempotent on the key, answers at once with
 * an intent that requires confirmation, confirms later on its own queue and reports through
 * signed webhooks.
 */
@Injectable()
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(TEST_PROVIDER_QUEUE) private readonly queue: Queue<ConfirmJob>,
    private readonly store: TestProviderStore,
  ) {}

  async createIntent(request: CreateIntentRequest): Promise<CreatedIntent> {
    const intent = await this.store.createOnce(request.idempotencyKey, {
      id: newIntentId(),
      orderId: request.orderId,
      amountMinor: request.amountMinor,
      currency: request.currency,
      paymentMethod: request.paymentMethod,
      status: 'requires_confirmation',
      created: Math.floor(Date.now() / 1000),
    });
    if (intent.status === 'requires_confirmation') {
      // Enqueued on every call: a caller retrying after a crash between the two steps still
      // gets its confirmation, and the job id keeps it to one.
      await this.queue.add(
        'confirm',
        {
          kind: 'confirm',
          idempotencyKey: request.idempotencyKey,
          ...jobRequestContext(),
        },
        { jobId: confirmJobId(intent.id), delay: this.config.payments.testConfirmDelayMs },
      );
    }
    return { providerPaymentId: intent.id, status: intent.status };
  }

  readEvent(type: string, payload: Record<string, unknown>): IntentReport | null {
    return readTestProviderEvent(type, payload);
  }
}
