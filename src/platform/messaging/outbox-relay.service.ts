import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Queue } from 'bullmq';
import type { Counter, Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { METRIC } from '../observability/metric-names.js';
import { inboxQueueName, type IntegrationEvent } from './integration-event.js';
import { MESSAGING_SETTINGS, type MessagingSettings } from './messaging.tokens.js';

interface OutboxRow {
  id: string;
  type: string;
  version: number;
  payload: Record<string, unknown>;
  occurred_at: Date;
  request_id: string | null;
}

const BATCH = 200;

/**
 * Moves outbox rows to the consumers' queues. Rows are claimed with FOR UPDATE SKIP LOCKED and
 * marked published in the same transaction, so several relays can run side by side and a row
 * committed late (with an older id) is still picked up: no "id > last seen" cursor. A relay that
 * dies after publishing and before committing publishes again; the job id (= event id) and the
 * consumers' processed_events make that harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private stopped = false;
  private loop?: Promise<void>;
  private lastBacklogAt = 0;
  private readonly queuesByType = new Map<string, Queue[]>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MESSAGING_SETTINGS) private readonly settings: MessagingSettings,
    private readonly dataSource: DataSource,
    private readonly moduleRef: ModuleRef,
    @InjectMetric(METRIC.outboxBacklog) private readonly backlog: Gauge<string>,
    @InjectMetric(METRIC.outboxPublished) private readonly published: Counter<string>,
  ) {}

  onApplicationBootstrap(): void {
    for (const sub of this.settings.subscriptions) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(inboxQueueName(sub.consumer)), {
        strict: false,
      });
      for (const type of sub.events) {
        this.queuesByType.set(type, [...(this.queuesByType.get(type) ?? []), queue]);
      }
    }
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let moved = 0;
      for (const context of this.settings.outboxes) {
        try {
          moved += await this.relayBatch(context);
        } catch (err) {
          this.logger.error(err instanceof Error ? err : String(err));
        }
      }
      if (Date.now() - this.lastBacklogAt > 2_000) await this.measureBacklog();
      // A full batch means more is waiting: go again at once.
      if (moved < BATCH) await sleep(this.config.queue.outboxPollMs);
    }
  }

  /** Publishes one batch of one context's outbox; returns how many rows it moved. */
  async relayBatch(context: string): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT id, type, version, payload, occurred_at, request_id FROM "${context}".outbox
          WHERE published_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [BATCH],
      )) as OutboxRow[];
      if (rows.length === 0) return 0;
      const byQueue = new Map<Queue, IntegrationEvent[]>();
      for (const row of rows) {
        const event: IntegrationEvent = {
          id: row.id,
          type: row.type,
          version: row.version,
          producer: context,
          occurredAt: row.occurred_at.toISOString(),
          payload: row.payload,
          requestId: row.request_id ?? undefined,
        };
        for (const queue of this.queuesByType.get(row.type) ?? []) {
          byQueue.set(queue, [...(byQueue.get(queue) ?? []), event]);
        }
      }
      for (const [queue, events] of byQueue) {
        await queue.addBulk(events.map((e) => ({ name: e.type, data: e, opts: { jobId: e.id } })));
      }
      await manager.query(
        `UPDATE "${context}".outbox SET published_at = now() WHERE id = ANY($1::uuid[])`,
        [rows.map((r) => r.id)],
      );
      this.published.inc({ context }, rows.length);
      return rows.length;
    });
  }

  private async measureBacklog(): Promise<void> {
    this.lastBacklogAt = Date.now();
    for (const context of this.settings.outboxes) {
      try {
        const [row] = (await this.dataSource.query(
          `SELECT count(*)::int AS n FROM "${context}".outbox WHERE published_at IS NULL`,
        )) as { n: number }[];
        this.backlog.set({ context }, row.n);
      } catch (err) {
        this.logger.warn(`backlog probe failed: ${(err as Error).message}`);
      }
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
