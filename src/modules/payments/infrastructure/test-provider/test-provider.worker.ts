import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Worker, type Job, type Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/app-config.js';
import { withJobContext } from '../../../../platform/messaging/job-context.js';
import { bullConnection } from '../../../../platform/messaging/redis-connection.js';
import { signatureHeader } from '../../domain/webhook-signature.js';
import { isFinal } from '../../domain/payment-status.js';
import { buildEvent, outcomeOf } from './test-provider-events.js';
import { TestProviderStore } from './test-provider-store.js';
import {
  DELIVERY_ATTEMPTS,
  deliverJobId,
  TEST_PROVIDER_QUEUE,
  type ConfirmJob,
  type DeliverJob,
  type TestProviderJob,
} from './test-provider.queue.js';
import { TestWebhookTarget } from './webhook-target.js';

const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * The test provider's back office, in worker processes: confirms intents and delivers their
 * webhooks (processing, then succeeded or payment_failed), retrying non-2xx answers with backoff.
 * Each job runs in the request context it was enqueued from.
 */
@Injectable()
export class TestProviderWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('TestPaymentProvider');
  private worker?: Worker<TestProviderJob>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(TEST_PROVIDER_QUEUE) private readonly queue: Queue<TestProviderJob>,
    private readonly store: TestProviderStore,
    private readonly target: TestWebhookTarget,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.role === 'worker' && !this.config.payments.testWebhookUrl) {
      // A warning, not a boot failure: a worker may host payments without the test provider
      // being used; each delivery it is asked for fails with the same reason.
      this.logger.warn(
        'PAYMENTS_TEST_WEBHOOK_URL is not set: this worker cannot deliver test provider webhooks',
      );
    }
    this.worker = new Worker<TestProviderJob>(
      TEST_PROVIDER_QUEUE,
      (job) =>
        withJobContext(job.data, () =>
          job.data.kind === 'confirm'
            ? this.confirm(job.data)
            : this.deliver(job as Job<DeliverJob>),
        ),
      {
        connection: bullConnection(this.config.queue.redisUrl),
        prefix: this.config.queue.prefix,
        concurrency: 8,
        lockDuration: this.config.queue.lockMs,
      },
    );
    this.worker.on('failed', (job, err) =>
      this.logger.warn({
        msg: 'test provider job failed',
        jobId: job?.id,
        attempts: job?.attemptsMade,
        error: err.message,
      }),
    );
    this.worker.on('error', (err) => this.logger.error(`test provider worker: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  /** Decides the outcome and schedules its two webhooks, final one a moment after processing. */
  private async confirm(job: ConfirmJob): Promise<void> {
    const intent = await this.store.get(job.idempotencyKey);
    if (!intent) throw new Error(`test provider intent ${job.idempotencyKey} not found`);
    const outcome = outcomeOf(intent);
    if (!isFinal(intent.status))
      await this.store.save(job.idempotencyKey, { ...intent, status: outcome });
    const events = [buildEvent(intent, 'processing'), buildEvent(intent, outcome)];
    await this.queue.addBulk(
      events.map((event, i) => ({
        name: 'deliver',
        data: { kind: 'deliver', event, requestId: job.requestId },
        opts: {
          // Derived from the intent and the type: a retried confirmation sends nothing twice.
          jobId: deliverJobId(intent.id, event.type),
          delay: i * this.config.payments.testConfirmDelayMs,
          attempts: DELIVERY_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.queue.backoffMs },
        },
      })),
    );
  }

  /** One POST, signed with the first secret at send time; anything but 2xx is retried. */
  private async deliver(job: Job<DeliverJob>): Promise<void> {
    const body = Buffer.from(JSON.stringify(job.data.event));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'scaleshop-signature': signatureHeader(
        this.config.payments.webhookSecrets[0],
        Math.floor(Date.now() / 1000),
        body,
      ),
    };
    // Traces the delivery back to the request that placed the order.
    if (job.data.requestId) headers['x-request-id'] = job.data.requestId;
    const res = await fetch(this.target.url(), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.arrayBuffer(); // frees the connection
    if (!res.ok) throw new Error(`webhook ${job.data.event.type} answered ${res.status}`);
  }
}
