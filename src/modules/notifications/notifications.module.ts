import { BullModule } from '@nestjs/bullmq';
import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessageSendQueue } from './application/message-send.queue.js';
import { MessageSender } from './application/message-sender.service.js';
import { OrderMailHandler } from './application/order-mail.handler.js';
import { StaleMessageSweeper } from './application/stale-message.sweeper.js';
import { MailTransport } from './infrastructure/mail-transport.js';
import { MessageEntity } from './infrastructure/message.entity.js';
import { SendWorker } from './infrastructure/send-worker.service.js';
import { NOTIFICATIONS_QUEUES } from './notifications.contract.js';

/** Tables the notifications context maps; the migration CLI and the drift check load them. */
export const NOTIFICATIONS_ENTITIES: (new () => object)[] = [MessageEntity];

/**
 * Tells customers what happened to their orders, by email. The send queue is registered in every
 * role, so that the API processes' queue dashboard shows it; only workers handle events and send.
 */
@Module({})
export class NotificationsModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    return {
      module: NotificationsModule,
      global: true,
      imports: [
        TypeOrmModule.forFeature(NOTIFICATIONS_ENTITIES),
        BullModule.registerQueue({ name: NOTIFICATIONS_QUEUES.send }),
      ],
      providers: [
        MessageSendQueue,
        ...(options.worker
          ? [OrderMailHandler, MessageSender, StaleMessageSweeper, MailTransport, SendWorker]
          : []),
      ],
    };
  }
}
