import { Module, type DynamicModule } from '@nestjs/common';
import { MessageEntity } from './infrastructure/message.entity.js';

/** Tables the notifications context maps; the migration CLI and the drift check load them. */
export const NOTIFICATIONS_ENTITIES: (new () => object)[] = [MessageEntity];

/** Tells customers what happened to their orders, by email. */
@Module({})
export class NotificationsModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    void options;
    return { module: NotificationsModule, global: true };
  }
}
