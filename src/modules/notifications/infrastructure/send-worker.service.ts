import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Worker, type Job } from 'bullmq';
import type { Histogram } from 'prom-client';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { withJobContext } from '../../../platform/messaging/job-context.js';
import { bullConnection } from '../../../platform/messaging/redis-connection.js';
import { METRIC } from '../../../platform/observability/metric-names.js';
import { MessageSendQueue, SEND_JOB, type SendJobData } from '../application/message-send.queue.js';
import { MessageSender } from '../application/message-sender.service.js';
import { StaleMessageSweeper } from '../application/stale-message.sweeper.js';
import { NOTIFICATIONS_QUEUES } from '../notifications.contract.js';

const SWEEP_JOB = 'sweep';
const SWEEP_SCHEDULER = 'notifications-sweep-stale';
const SWEEP_EVERY_MS = 30_000;

/**
 * Worker processes only: consumes the send queue (send jobs, and the sweeper's scheduled jobs)
 * inside the request context each job carries, like InboxWorkers does for events.
 */
@Injectable()
export class SendWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SendWorker');
  private worker?: Worker<SendJobData>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sendQueue: MessageSendQueue,
    private readonly sender: MessageSender,
    private readonly sweeper: StaleMessageSweeper,
    @InjectMetric(METRIC.jobDuration) private readonly duration: Histogram<string>,
  ) {}

  onApplicationBootstrap(): void {
    const queue = NOTIFICATIONS_QUEUES.send;
    this.worker = new Worker<SendJobData>(queue, (job) => this.process(job), {
      connection: bullConnection(this.config.queue.redisUrl),
      prefix: this.config.queue.prefix,
      concurrency: 4,
      lockDuration: this.config.queue.lockMs,
      stalledInterval: Math.max(1_000, Math.floor(this.config.queue.lockMs / 2)),
      maxStalledCount: 3,
    });
    this.worker.on('failed', (job, err) => {
      this.logger.warn({
        msg: 'send failed',
        jobId: job?.id,
        attempts: job?.attemptsMade,
        requestId: job?.data.requestId,
        error: err.message,
      });
    });
    this.worker.on('error', (err) => this.logger.error(`worker ${queue}: ${err.message}`));
    // Idempotent: every worker process upserts the same scheduler. Not awaited: with Redis down
    // it waits for Redis, and the process must still start (and report not ready).
    this.sendQueue.queue
      .upsertJobScheduler(
        SWEEP_SCHEDULER,
        { every: SWEEP_EVERY_MS },
        { name: SWEEP_JOB, opts: { removeOnComplete: true, removeOnFail: 100 } },
      )
      .catch((err: Error) => this.logger.error(`cannot schedule the sweeper: ${err.message}`));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close(); // lets the jobs in hand finish
  }

  private async process(job: Job<SendJobData>): Promise<void> {
    const started = performance.now();
    const observe = (outcome: string) =>
      this.duration.observe(
        { queue: NOTIFICATIONS_QUEUES.send, outcome },
        (performance.now() - started) / 1000,
      );
    try {
      await this.run(job);
      observe('completed');
    } catch (err) {
      observe('failed');
      throw err; // BullMQ retries with the job's backoff, then keeps it in the failed set
    }
  }

  private run(job: Job<SendJobData>): Promise<void> {
    return withJobContext(job.data, async () => {
      if (job.name === SWEEP_JOB) {
        const n = await this.sweeper.sweep();
        if (n > 0) this.logger.warn({ msg: 're-enqueued stale messages', count: n });
        return;
      }
      if (job.name !== SEND_JOB) throw new Error(`Unknown job ${job.name}`);
      await this.sender.deliver(job.data.messageId, {
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
      });
    });
  }
}
