import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { InjectDataSource } from '@nestjs/typeorm';
import { Worker, type Job, type Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { jobRequestContext, withJobContext } from '../../../platform/messaging/job-context.js';
import { bullConnection } from '../../../platform/messaging/redis-connection.js';
import { IdempotencyKeyRepository } from './idempotency-key.repository.js';

/** ordering's own queue for scheduled housekeeping. */
export const ORDERING_MAINTENANCE_QUEUE = 'ordering-maintenance';

export const MAINTENANCE_JOBS = {
  ensurePartitions: 'ensure-order-partitions',
  sweepIdempotencyKeys: 'sweep-idempotency-keys',
} as const;

type MaintenanceJobName = (typeof MAINTENANCE_JOBS)[keyof typeof MAINTENANCE_JOBS];

interface MaintenanceJobData {
  requestId?: string;
  /** Months ahead as configured where the job was enqueued; absent: the worker's own setting. */
  monthsAhead?: number;
}

/**
 * Worker-side housekeeping on a BullMQ job scheduler (one schedule across all workers, whatever
 * their number): order partitions created `partitionsAhead` months ahead, daily and once at boot,
 * and expired idempotency keys deleted hourly. A failing job throws, so the queue retries it.
 */
@Injectable()
export class OrderingMaintenance implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OrderingMaintenance');
  private worker?: Worker<MaintenanceJobData, unknown, MaintenanceJobName>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: IdempotencyKeyRepository,
    // Registered with BullModule (every role), so the queue dashboard and /metrics see it too.
    @InjectQueue(ORDERING_MAINTENANCE_QUEUE) private readonly queue: Queue<MaintenanceJobData>,
  ) {}

  private scheduling?: Promise<void>;

  onApplicationBootstrap(): void {
    const connection = bullConnection(this.config.queue.redisUrl);
    const prefix = this.config.queue.prefix;
    this.worker = new Worker(ORDERING_MAINTENANCE_QUEUE, (job) => this.process(job), {
      connection,
      prefix,
      concurrency: 1,
    });
    this.worker.on('error', (err) => this.logger.error(`worker: ${err.message}`));
    this.worker.on('failed', (job, err) =>
      this.logger.warn({ msg: 'maintenance job failed', job: job?.name, error: err.message }),
    );
    // Not awaited: a worker must boot (and serve health) even while Redis is unreachable.
    this.scheduling = this.schedule().catch((err: Error) =>
      this.logger.error(`could not schedule maintenance: ${err.message}`),
    );
  }

  private async schedule(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'ordering-partitions-daily',
      { pattern: '0 15 3 * * *', tz: 'UTC' },
      { name: MAINTENANCE_JOBS.ensurePartitions, data: {} },
    );
    await this.queue.upsertJobScheduler(
      'ordering-idempotency-sweep',
      { every: 3_600_000 },
      { name: MAINTENANCE_JOBS.sweepIdempotencyKeys, data: {} },
    );
    // At boot too: a deployment that raised ORDER_PARTITIONS_AHEAD gets its partitions now.
    await this.queue.add(
      MAINTENANCE_JOBS.ensurePartitions,
      { ...jobRequestContext(), monthsAhead: this.config.ordering.partitionsAhead },
      { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } },
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduling;
    await this.worker?.close();
  }

  private async process(job: Job<MaintenanceJobData, unknown, MaintenanceJobName>) {
    return withJobContext(job.data, async () => {
      if (job.name === MAINTENANCE_JOBS.ensurePartitions) {
        const [row] = (await this.dataSource.query(
          `SELECT ordering.ensure_order_partitions($1) AS created`,
          [job.data.monthsAhead ?? this.config.ordering.partitionsAhead],
        )) as { created: number }[];
        return { created: row?.created ?? 0 };
      }
      return { deleted: await this.keys.sweepExpired() };
    });
  }
}
