import { Module, type DynamicModule } from '@nestjs/common';

/** Tables the notifications context maps; the migration CLI and the drift check load them. */
export const NOTIFICATIONS_ENTITIES: (new () => object)[] = [];

/** Tells customers what happened to their orders, by email. */
@Module({})
export class NotificationsModule {
  static forRoot(options: { api: boolean; worker: boolean }): DynamicModule {
    void options; // skeleton: filled in by the context's own work
    return { module: NotificationsModule };
  }
}
