import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { currentContext } from '../context/request-context.js';
import type { NewIntegrationEvent } from './integration-event.js';

const SCHEMA_NAME = /^[a-z_]+$/;

/**
 * Writes integration events to a context's outbox table. It must be called with the EntityManager
 * of the transaction that makes the change, so the event exists if and only if the change does.
 */
@Injectable()
export class OutboxWriter {
  async append(
    manager: EntityManager,
    context: string,
    events: readonly NewIntegrationEvent[],
  ): Promise<string[]> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction that makes the change');
    }
    if (!SCHEMA_NAME.test(context)) throw new Error(`Bad context name: ${context}`);
    if (events.length === 0) return [];
    const requestId = currentContext()?.requestId ?? null;
    const ids = events.map(() => randomUUID());
    const values: unknown[] = [];
    const rows = events.map((event, i) => {
      values.push(ids[i], event.type, event.version, JSON.stringify(event.payload), requestId);
      const o = i * 5;
      return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}::jsonb, $${o + 5})`;
    });
    await manager.query(
      `INSERT INTO "${context}".outbox (id, type, version, payload, request_id) VALUES ${rows.join(', ')}`,
      values,
    );
    return ids;
  }
}
