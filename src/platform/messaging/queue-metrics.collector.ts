import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { QueueRegistry } from './queue-registry.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * Samples job counts per queue and state into a gauge every few seconds, for every queue of
 * QueueRegistry (inbox queues and the contexts' own queues).
 */
@Injectable()
export class QueueMetricsCollector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('QueueMetrics');
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: QueueRegistry,
    @InjectMetric('scaleshop_queue_jobs') private readonly jobs: Gauge<string>,
  ) {}

  onApplicationBootstrap(): void {
    const queues = this.registry.queues();
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
