import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { NotificationStatus } from '../notifications.contract.js';
import { actionFor, statusAfterFailure } from '../domain/send-decisions.js';
import { MailTransport } from '../infrastructure/mail-transport.js';

interface MessageRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  status: NotificationStatus;
  message_id: string;
}

/** Where a send job stands in BullMQ's retries. */
export interface SendAttempt {
  /** Attempts made before this one (job.attemptsMade). */
  attemptsMade: number;
  maxAttempts: number;
}

/**
 * Sends one recorded message and keeps its state. Reads and writes go to the primary: the row
 * was committed a moment ago and a replica may not have it yet.
 *
 * Delivery is at least once: if the process dies after the mail server accepted the message
 * and before `status = 'sent'` is committed, the job is retried (stalled job) and the customer
 * gets the mail twice. Both copies carry the same Message-ID, so receivers can drop the second.
 */
@Injectable()
export class MessageSender {
  private readonly logger = new Logger('MessageSender');

  constructor(
    private readonly dataSource: DataSource,
    private readonly transport: MailTransport,
  ) {}

  async deliver(messageId: string, attempt: SendAttempt): Promise<void> {
    const [message] = (await this.dataSource.query(
      `SELECT id, to_address, subject, text_body, html_body, status, message_id
         FROM notifications.messages WHERE id = $1`,
      [messageId],
    )) as MessageRow[];
    const action = actionFor(message?.status);
    if (action !== 'send') {
      this.logger.log({ msg: 'send job skipped', messageId, action });
      return;
    }
    try {
      await this.transport.send({
        to: message.to_address,
        subject: message.subject,
        text: message.text_body,
        html: message.html_body,
        messageId: message.message_id,
      });
    } catch (err) {
      const status = statusAfterFailure(attempt.attemptsMade, attempt.maxAttempts);
      await this.dataSource.query(
        `UPDATE notifications.messages
            SET attempts = attempts + 1, last_error = $2, status = $3
          WHERE id = $1 AND status <> 'sent'`,
        [messageId, errorText(err), status],
      );
      throw err; // BullMQ retries with backoff; after the last attempt the job stays failed
    }
    await this.dataSource.query(
      `UPDATE notifications.messages
          SET status = 'sent', sent_at = now(), attempts = attempts + 1, last_error = NULL
        WHERE id = $1`,
      [messageId],
    );
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
}
