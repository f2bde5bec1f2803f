import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  HandlesEvents,
  type AfterCommit,
  type IntegrationEventHandler,
} from '../../../platform/messaging/event-handler.decorator.js';
import type { IntegrationEvent } from '../../../platform/messaging/integration-event.js';
import { jobRequestContext } from '../../../platform/messaging/job-context.js';
import { IDENTITY_PORT, type IdentityPort } from '../../identity/identity.contract.js';
import { ORDERING_EVENTS } from '../../ordering/ordering.contract.js';
import { renderMessage } from '../domain/message-templates.js';
import { messageIdFor } from '../domain/send-decisions.js';
import { MessageSendQueue } from './message-send.queue.js';
import { orderMailInput } from './order-mail-input.js';

/** Thrown while the customer's account cannot be read yet (e.g. a lagging replica): retried. */
export class RecipientUnknownError extends Error {
  constructor(customerId: string) {
    super(`No account ${customerId} to write to`);
    this.name = 'RecipientUnknownError';
  }
}

/**
 * Writes the mail for an order event: renders it and records it in the event's transaction, at
 * most one per order and kind (a second event for the same order and kind — a new event id — finds
 * the unique index and adds nothing). The send job is enqueued only after the commit; if the
 * process dies in between, the sweeper enqueues it later.
 */
@Injectable()
@HandlesEvents({
  consumer: 'notifications',
  name: 'order-mail',
  events: [ORDERING_EVENTS.orderPlaced, ORDERING_EVENTS.orderPaid, ORDERING_EVENTS.orderCancelled],
})
export class OrderMailHandler implements IntegrationEventHandler {
  constructor(
    @Inject(IDENTITY_PORT) private readonly identity: IdentityPort,
    private readonly sendQueue: MessageSendQueue,
  ) {}

  async handle(event: IntegrationEvent, manager: EntityManager): Promise<AfterCommit | undefined> {
    const { customerId, template } = orderMailInput(event.type, event.payload);
    const account = await this.identity.findAccount(customerId);
    if (!account) throw new RecipientUnknownError(customerId);
    const mail = renderMessage(template);
    const id = randomUUID();
    const { requestId } = jobRequestContext();
    const inserted = (await manager.query(
      `INSERT INTO notifications.messages
         (id, kind, order_id, customer_id, to_address, subject, text_body, html_body, message_id, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (order_id, kind) DO NOTHING RETURNING id`,
      [
        id,
        template.kind,
        template.orderId,
        customerId,
        account.email,
        mail.subject,
        mail.text,
        mail.html,
        messageIdFor(id),
        requestId ?? null,
      ],
    )) as unknown[];
    if (inserted.length === 0) return undefined;
    return () => this.sendQueue.enqueue([{ messageId: id, requestId }]);
  }
}
