import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { Worker, type Job } from 'bullmq';
import type { Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { METRIC } from '../observability/metric-names.js';
import {
  EVENT_HANDLER_METADATA,
  type EventHandlerMetadata,
  type IntegrationEventHandler,
} from './event-handler.decorator.js';
import { inboxQueueName, type IntegrationEvent } from './integration-event.js';
import { withJobContext } from './job-context.js';
import { MESSAGING_SETTINGS, type MessagingSettings } from './messaging.tokens.js';
import { bullConnection } from './redis-connection.js';

interface BoundHandler {
  meta: EventHandlerMetadata;
  instance: IntegrationEventHandler;
}

/**
 * Runs the consumers of every hosted context. Workers are created here rather than with
 * @Processor because their lock and stall settings come from the validated configuration.
 * The app refuses to start when a subscribed event type has no handler.
 */
@Injectable()
export class InboxWorkers implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('InboxWorkers');
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly dataSource: DataSource,
    @InjectMetric(METRIC.jobDuration) private readonly duration: Histogram<string>,
  ) {}

  onApplicationBootstrap(): void {
    const handlers = this.discoverHandlers();
    const missing: string[] = [];
    for (const sub of this.settings.subscriptions) {
      if (!this.config.modules.includes(sub.consumer as never)) continue;
      const mine = handlers.filter((h) => h.meta.consumer === sub.consumer);
      for (const type of sub.events) {
        if (!mine.some((h) => h.meta.events.includes(type)))
          missing.push(`${sub.consumer}:${type}`);
      }
      this.workers.push(this.startWorker(sub.consumer, mine));
    }
    if (missing.length)
      throw new Error(`Subscribed events without a handler: ${missing.join(', ')}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    // close() lets the jobs in hand finish before it resolves.
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private startWorker(consumer: string, handlers: BoundHandler[]): Worker {
    const queue = inboxQueueName(consumer);
    const worker = new Worker<IntegrationEvent>(
      queue,
      (job) => this.process(queue, consumer, handlers, job),
      {
        connection: bullConnection(this.config.queue.redisUrl),
        prefix: this.config.queue.prefix,
        concurrency: 8,
        lockDuration: this.config.queue.lockMs,
        stalledInterval: Math.max(1_000, Math.floor(this.config.queue.lockMs / 2)),
        maxStalledCount: 3,
      },
    );
    worker.on('failed', (job, err) => {
      this.logger.warn({
        msg: 'job failed',
        queue,
        jobId: job?.id,
        attempts: job?.attemptsMade,
        error: err.message,
      });
    });
    worker.on('error', (err) => this.logger.error(`worker ${queue}: ${err.message}`));
    return worker;
  }

  private async process(
    queue: string,
    consumer: string,
    handlers: BoundHandler[],
    job: Job<IntegrationEvent>,
  ): Promise<void> {
    const event = job.data;
    const started = performance.now();
    try {
      await withJobContext(event, async () => {
        for (const handler of handlers.filter((h) => h.meta.events.includes(event.type))) {
          await this.applyOnce(consumer, handler, event);
        }
      });
      this.duration.observe({ queue, outcome: 'completed' }, (performance.now() - started) / 1000);
    } catch (err) {
      this.duration.observe({ queue, outcome: 'failed' }, (performance.now() - started) / 1000);
      throw err; // the queue retries with backoff, then keeps the job in the failed set
    }
  }

  /** Records the event id and applies the effect in one transaction: a redelivery does nothing. */
  private async applyOnce(
    consumer: string,
    handler: BoundHandler,
    event: IntegrationEvent,
  ): Promise<void> {
    const afterCommit = await this.dataSource.transaction(async (manager) => {
      const inserted = (await manager.query(
        `INSERT INTO "${consumer}".processed_events (event_id, handler) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [event.id, handler.meta.name],
      )) as unknown[];
      if (inserted.length === 0) return undefined;
      return handler.instance.handle(event, manager);
    });
    await afterCommit?.();
  }

  private discoverHandlers(): BoundHandler[] {
    const found: BoundHandler[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as IntegrationEventHandler | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const meta = this.reflector.get<EventHandlerMetadata | undefined>(
        EVENT_HANDLER_METADATA,
        wrapper.metatype as never,
      );
      if (meta) found.push({ meta, instance });
    }
    return found;
  }
}
