import type { NotificationStatus } from '../notifications.contract.js';

/** What a send job does with the message it names. */
export type SendAction = 'send' | 'skip_sent' | 'skip_missing';

/**
 * A message already accepted by the mail server is never sent again by a redelivered or retried
 * job. A failed one is sent: a failed message is only run again when someone retries its job.
 */
export function actionFor(status: NotificationStatus | undefined): SendAction {
  if (status === undefined) return 'skip_missing';
  return status === 'sent' ? 'skip_sent' : 'send';
}

/**
 * Status after a failed attempt. `attemptsMade` counts the attempts before this one (BullMQ's
 * job.attemptsMade); the last allowed attempt failing makes the message failed, any earlier one
 * leaves it queued for the retry BullMQ schedules with backoff. A job retried by hand after the
 * last attempt has attemptsMade ≥ maxAttempts and fails for good at once if it fails again.
 */
export function statusAfterFailure(attemptsMade: number, maxAttempts: number): NotificationStatus {
  return attemptsMade + 1 >= maxAttempts ? 'failed' : 'queued';
}

/** RFC 5322 Message-ID of a message: fixed per message, so receivers can drop duplicates. */
export function messageIdFor(id: string): string {
  return `<${id}@scaleshop>`;
}
