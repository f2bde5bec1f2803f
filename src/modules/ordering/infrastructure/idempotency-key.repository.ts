import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { IdempotencyStore } from '../application/checkout.ports.js';
import type { StoredIdempotencyKey } from '../domain/idempotency-decision.js';

/**
 * ordering.idempotency_keys, always on the primary: a claim must see every other claim, and a
 * replica could miss a key claimed a moment ago.
 */
@Injectable()
export class IdempotencyKeyRepository implements IdempotencyStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async claim(customerId: string, key: string, hash: string, expiresAt: Date): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO ordering.idempotency_keys
         (customer_id, key, request_hash, status, created_at, expires_at)
       VALUES ($1, $2, $3, 'in_progress', now(), $4)
       ON CONFLICT DO NOTHING RETURNING 1`,
      [customerId, key, hash, expiresAt],
    )) as unknown[];
    return rows.length === 1;
  }

  async find(customerId: string, key: string): Promise<StoredIdempotencyKey | null> {
    const [row] = (await this.dataSource.query(
      `SELECT request_hash AS "requestHash", status, response_status AS "responseStatus",
              response_body AS "responseBody", expires_at AS "expiresAt"
         FROM ordering.idempotency_keys WHERE customer_id = $1 AND key = $2`,
      [customerId, key],
    )) as StoredIdempotencyKey[];
    return row ?? null;
  }

  async removeExpired(customerId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ordering.idempotency_keys
        WHERE customer_id = $1 AND key = $2 AND expires_at <= now()`,
      [customerId, key],
    );
  }

  async release(customerId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ordering.idempotency_keys
        WHERE customer_id = $1 AND key = $2 AND status = 'in_progress'`,
      [customerId, key],
    );
  }

  async complete(
    customerId: string,
    key: string,
    status: number,
    body: unknown,
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `UPDATE ordering.idempotency_keys
          SET status = 'completed', response_status = $3, response_body = $4::jsonb
        WHERE customer_id = $1 AND key = $2`,
      [customerId, key, status, JSON.stringify(body)],
    );
  }

  /** Expired keys, for the maintenance job. Returns how many went. */
  async sweepExpired(): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM ordering.idempotency_keys WHERE expires_at < now()`,
    )) as [unknown, number];
    return count;
  }
}
