import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import { Worker, type Job, type Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import { withJobContext, type JobContextData } from '../../../platform/messaging/job-context.js';
import { bullConnection } from '../../../platform/messaging/redis-connection.js';
import { HotSkuReconciler } from '../application/hot-sku-reconciler.js';
import { ReservationLifecycle } from '../application/reservation-lifecycle.service.js';
import { INVENTORY_MAINTENANCE_QUEUE } from '../inventory.contract.js';

/** Data of a maintenance job: the request that caused it (none when the scheduler did). */
export type MaintenanceJobData = JobContextData;

const SWEEP = 'expire-reservations';
const RECONCILE = 'reconcile-hot-skus';
const SWEEP_BATCH = 200;
/** Bounds one sweep job; what is left waits for the next tick. */
const SWEEP_MAX_BATCHES = 50;

/**
 * Inventory's scheduled work on worker processes: the expiry sweep and the hot-SKU reconcile,
 * each a BullMQ job scheduler (one schedule however many workers run; upsert is idempotent).
 * A plain bullmq Worker, as InboxWorkers does, so its settings come from the validated config.
 */
@Injectable()
export class InventoryMaintenanceWorker
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly logger = new Logger('InventoryMaintenance');
  private worker?: Worker<MaintenanceJobData>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectQueue(INVENTORY_MAINTENANCE_QUEUE) private readonly queue: Queue<MaintenanceJobData>,
    private readonly lifecycle: ReservationLifecycle,
    private readonly reconciler: HotSkuReconciler,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const opts = { removeOnComplete: { count: 100 }, removeOnFail: { count: 500 } };
    await this.queue.upsertJobScheduler(
      'inventory-expiry-sweep',
      { every: this.config.inventory.sweepMs },
      { name: SWEEP, data: {}, opts },
    );
    await this.queue.upsertJobScheduler(
      'inventory-hot-reconcile',
      { every: this.config.inventory.hotReconcileMs },
      { name: RECONCILE, data: {}, opts },
    );
    this.worker = new Worker<MaintenanceJobData>(
      INVENTORY_MAINTENANCE_QUEUE,
      (job) => this.process(job),
      {
        connection: bullConnection(this.config.queue.redisUrl),
        prefix: this.config.queue.prefix,
        concurrency: 1,
        lockDuration: this.config.queue.lockMs,
      },
    );
    this.worker.on('failed', (job, err) =>
      this.logger.warn({ msg: 'maintenance job failed', job: job?.name, error: err.message }),
    );
    this.worker.on('error', (err) => this.logger.error(`maintenance worker: ${err.message}`));
    // After a crash the gate may be wrong; do not wait for the first tick to repair it.
    await this.queue.add(RECONCILE, {}, opts);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private process(job: Job<MaintenanceJobData>): Promise<void> {
    return withJobContext(job.data, async () => {
      if (job.name === SWEEP) {
        let expired = 0;
        for (let i = 0; i < SWEEP_MAX_BATCHES; i++) {
          const n = await this.lifecycle.expireBatch(SWEEP_BATCH);
          expired += n;
          if (n < SWEEP_BATCH) break;
        }
        if (expired) this.logger.log(`expired ${expired} reservations`);
      } else if (job.name === RECONCILE) {
        await this.reconciler.reconcileAll();
      }
    });
  }
}
