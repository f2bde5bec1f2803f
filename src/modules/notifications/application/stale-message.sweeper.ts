import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MessageSendQueue } from './message-send.queue.js';

/** A queued message older than this has most likely lost its job (crash between commit and add). */
export const STALE_AFTER = '1 minute';
const BATCH = 500;

/**
 * Re-enqueues messages still queued a minute after they were written. Their job ids are the
 * message ids, so a message whose job still exists (waiting, in backoff) is not added twice.
 */
@Injectable()
export class StaleMessageSweeper {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sendQueue: MessageSendQueue,
  ) {}

  /** Returns how many messages it handed to the queue. */
  async sweep(): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT id, request_id FROM notifications.messages
        WHERE status = 'queued' AND created_at < now() - $1::interval
        ORDER BY created_at LIMIT $2`,
      [STALE_AFTER, BATCH],
    )) as { id: string; request_id: string | null }[];
    await this.sendQueue.enqueue(
      rows.map((r) => ({ messageId: r.id, requestId: r.request_id ?? undefined })),
    );
    return rows.length;
  }
}
