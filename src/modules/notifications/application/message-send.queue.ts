import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/app-config.js';
import type { JobContextData } from '../../../platform/messaging/job-context.js';
import { NOTIFICATIONS_QUEUES } from '../notifications.contract.js';

/** Data of a send job: which message, and the request that caused it. */
export interface SendJobData extends JobContextData {
  messageId: string;
}

export const SEND_JOB = 'send';

/**
 * Puts messages on the send queue. The job id is the message id, so enqueueing a message again
 * (the sweeper, a redelivered event) adds nothing while its job is kept; failed jobs are kept
 * (removeOnFail: false) so that they can be inspected and retried in Bull Board.
 */
@Injectable()
export class MessageSendQueue {
  constructor(
    @InjectQueue(NOTIFICATIONS_QUEUES.send) readonly queue: Queue<SendJobData>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(messages: readonly SendJobData[]): Promise<void> {
    if (messages.length === 0) return;
    await this.queue.addBulk(
      messages.map((data) => ({
        name: SEND_JOB,
        data,
        opts: {
          jobId: data.messageId,
          attempts: this.config.mail.attempts,
          backoff: { type: 'exponential', delay: this.config.mail.backoffMs },
          removeOnComplete: { age: 24 * 3600, count: 10_000 },
          removeOnFail: false,
        },
      })),
    );
  }
}
