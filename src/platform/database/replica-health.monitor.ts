import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type pg from 'pg';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { METRIC } from '../observability/metric-names.js';
import { LsnLagEstimator } from './lsn-lag.js';
import { READ_ROUTER } from './database.tokens.js';
import type { ReadRouter } from './read-router.js';
import type { ReplicaNode } from './replica-node.js';

const PROBE_TIMEOUT_MS = 1_000;

/**
 * Probes every replica on an interval: reachable, in recovery, and how far behind the primary.
 * A replica lagging past REPLICA_MAX_LAG_MS or failing is taken out of the read rotation, and
 * put back as soon as a probe passes again.
 */
@Injectable()
export class ReplicaHealthMonitor implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReplicaHealth');
  private readonly lag = new LsnLagEstimator();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(READ_ROUTER) private readonly router: ReadRouter,
    private readonly dataSource: DataSource,
    @InjectMetric(METRIC.replicaLag) private readonly lagGauge: Gauge<string>,
    @InjectMetric(METRIC.replicaHealthy) private readonly healthyGauge: Gauge<string>,
    @InjectMetric(METRIC.dbPoolConnections) private readonly poolGauge: Gauge<string>,
  ) {}

  async onModuleInit(): Promise<void> {
    // One probe before serving, so the first reads can already use healthy replicas.
    await this.probeAll();
    this.timer = setInterval(() => {
      this.running ??= this.probeAll().finally(() => (this.running = undefined));
    }, this.config.database.healthIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.router.close();
  }

  /** Runs one round of probes; exposed so tests and readiness can force a fresh view. */
  async probeAll(): Promise<void> {
    const primaryPool = (this.dataSource.driver as PostgresDriver).master as pg.Pool;
    try {
      const { rows } = await primaryPool.query<{ lsn: string }>(
        'SELECT pg_current_wal_lsn()::text AS lsn',
      );
      this.lag.recordPrimary(rows[0].lsn, Date.now());
    } catch (err) {
      this.logger.warn(`primary LSN probe failed: ${(err as Error).message}`);
    }
    this.recordPool('primary', primaryPool);
    await Promise.all(this.router.replicas.map((node) => this.probe(node)));
  }

  private async probe(node: ReplicaNode): Promise<void> {
    const started = performance.now();
    const wasHealthy = node.healthy;
    try {
      const { rows } = await withTimeout(
        node.pool.query<{ in_recovery: boolean; replay_lsn: string | null }>(
          'SELECT pg_is_in_recovery() AS in_recovery, pg_last_wal_replay_lsn()::text AS replay_lsn',
        ),
        PROBE_TIMEOUT_MS,
      );
      node.recordLatency(performance.now() - started);
      const { in_recovery, replay_lsn } = rows[0];
      if (!in_recovery || !replay_lsn) {
        node.markDown('not a streaming standby');
      } else {
        const lagMs = this.lag.lagMs(replay_lsn, Date.now());
        node.lagSeconds = lagMs / 1000;
        if (lagMs > this.config.database.maxLagMs) node.markDown(`lagging ${lagMs} ms`);
        else node.healthy = true;
      }
    } catch (err) {
      node.markDown((err as Error).message);
    }
    if (wasHealthy !== node.healthy) {
      if (node.healthy) this.logger.log(`replica ${node.name} in rotation`);
      else this.logger.warn(`replica ${node.name} taken out: ${node.lastError ?? 'unknown'}`);
    }
    this.healthyGauge.set({ replica: node.name }, node.healthy ? 1 : 0);
    if (Number.isFinite(node.lagSeconds))
      this.lagGauge.set({ replica: node.name }, node.lagSeconds);
    this.recordPool(`replica:${node.name}`, node.pool);
  }

  private recordPool(target: string, pool: pg.Pool): void {
    this.poolGauge.set({ target, state: 'total' }, pool.totalCount);
    this.poolGauge.set({ target, state: 'idle' }, pool.idleCount);
    this.poolGauge.set({ target, state: 'waiting' }, pool.waitingCount);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`probe timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
