import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BullModule } from '@nestjs/bullmq';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { InboxWorkers } from './inbox-workers.service.js';
import { inboxQueueName } from './integration-event.js';
import { MESSAGING_SETTINGS, type MessagingSettings } from './messaging.tokens.js';
import { OutboxRelay } from './outbox-relay.service.js';
import { OutboxWriter } from './outbox-writer.js';
import { QueueMetricsCollector } from './queue-metrics.collector.js';
import { QueueRegistry } from './queue-registry.js';
import { bullConnection } from './redis-connection.js';

/**
 * Outbox, relay and queues. Every process can write to an outbox; only worker processes relay
 * and consume, so API processes scale without taking queue work.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(settings: MessagingSettings, runsWorkers: boolean): DynamicModule {
    const queueNames = [...new Set(settings.subscriptions.map((s) => inboxQueueName(s.consumer)))];
    const workerProviders: Provider[] = runsWorkers
      ? [OutboxRelay, InboxWorkers, QueueMetricsCollector]
      : [];
    return {
      module: MessagingModule,
      imports: [
        DiscoveryModule,
        BullModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => ({
            connection: bullConnection(config.queue.redisUrl),
            prefix: config.queue.prefix,
            defaultJobOptions: {
              attempts: config.queue.attempts,
              backoff: { type: 'exponential', delay: config.queue.backoffMs },
              removeOnComplete: { age: 24 * 3600, count: 10_000 },
              // Failed jobs stay for inspection and manual retry.
              removeOnFail: false,
            },
          }),
        }),
        ...queueNames.map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [
        { provide: MESSAGING_SETTINGS, useValue: settings },
        OutboxWriter,
        QueueRegistry,
        ...workerProviders,
      ],
      exports: [OutboxWriter, QueueRegistry, BullModule],
    };
  }
}
