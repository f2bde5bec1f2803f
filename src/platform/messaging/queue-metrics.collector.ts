import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import type { Gauge } from 'prom-client';
import { inboxQueueName } from './integration-event.js';
import { MESSAGING_SETTINGS, type MessagingSettings } from './messaging.tokens.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/** Samples job counts per queue and state into a gauge every few seconds. */
@Injectable()
export class QueueMetricsCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('QueueMetrics');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly moduleRef: ModuleRef,
    @InjectMetric('scaleshop_queue_jobs') private readonly jobs: Gauge<string>,
  ) {}

  onApplicationBootstrap(): void {
    const queues = this.settings.subscriptions.map((s) =>
      this.moduleRef.get<Queue>(getQueueToken(inboxQueueName(s.consumer)), { strict: false }),
    );
    const sample = async () => {
      for (const queue of queues) {
        try {
          const counts = await queue.getJobCounts(...STATES);
          for (const state of STATES)
            this.jobs.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch (err) {
          this.logger.warn(`cannot sample ${queue.name}: ${(err as Error).message}`);
        }
      }
    };
    void sample();
    this.timer = setInterval(() => void sample(), 5_000);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
