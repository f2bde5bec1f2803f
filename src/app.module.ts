import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { CatalogModule } from './modules/catalog/catalog.module.js';
import { CATALOG_SUBSCRIPTIONS } from './modules/catalog/catalog.contract.js';
import { IdentityModule } from './modules/identity/identity.module.js';
import { IDENTITY_SUBSCRIPTIONS } from './modules/identity/identity.contract.js';
import { InventoryModule } from './modules/inventory/inventory.module.js';
import { INVENTORY_SUBSCRIPTIONS } from './modules/inventory/inventory.contract.js';
import { NotificationsModule } from './modules/notifications/notifications.module.js';
import { NOTIFICATIONS_SUBSCRIPTIONS } from './modules/notifications/notifications.contract.js';
import { OrderingModule } from './modules/ordering/ordering.module.js';
import { ORDERING_SUBSCRIPTIONS } from './modules/ordering/ordering.contract.js';
import { PaymentsModule } from './modules/payments/payments.module.js';
import { PAYMENTS_SUBSCRIPTIONS } from './modules/payments/payments.contract.js';
import { AuthPlatformModule } from './platform/auth/auth-platform.module.js';
import { CacheModule } from './platform/cache/cache.module.js';
import type { AppConfig } from './platform/config/app-config.js';
import type { ModuleName } from './platform/config/config.schema.js';
import { ConfigModule } from './platform/config/config.module.js';
import { DatabaseModule } from './platform/database/database.module.js';
import { HealthModule } from './platform/health/health.module.js';
import { GraphqlPlatformModule } from './platform/http/graphql.module.js';
import { HttpPlatformModule } from './platform/http/http-platform.module.js';
import { RateLimitModule } from './platform/http/rate-limit.module.js';
import type { EventSubscription } from './platform/messaging/integration-event.js';
import { MessagingModule } from './platform/messaging/messaging.module.js';
import { ObservabilityModule } from './platform/observability/observability.module.js';

/** Every context's event subscriptions, read from the contracts (so a relay can route for all). */
const SUBSCRIPTIONS: Record<ModuleName, readonly string[]> = {
  identity: IDENTITY_SUBSCRIPTIONS,
  catalog: CATALOG_SUBSCRIPTIONS,
  inventory: INVENTORY_SUBSCRIPTIONS,
  ordering: ORDERING_SUBSCRIPTIONS,
  payments: PAYMENTS_SUBSCRIPTIONS,
  notifications: NOTIFICATIONS_SUBSCRIPTIONS,
};

/** Composes the platform and the contexts this process hosts, for its role. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const api = config.role !== 'worker';
    const worker = config.role !== 'api';
    const contexts: Record<ModuleName, () => DynamicModule> = {
      identity: () => IdentityModule.forRoot({ api }),
      catalog: () => CatalogModule.forRoot({ api, worker }),
      inventory: () => InventoryModule.forRoot({ api, worker }),
      ordering: () => OrderingModule.forRoot({ api, worker }),
      payments: () => PaymentsModule.forRoot({ api, worker }),
      notifications: () => NotificationsModule.forRoot({ api, worker }),
    };
    const subscriptions: EventSubscription[] = Object.entries(SUBSCRIPTIONS)
      .filter(([, events]) => events.length > 0)
      .map(([consumer, events]) => ({ consumer, events }));
    const apiOnly: (Type | DynamicModule)[] = api ? [GraphqlPlatformModule] : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule,
        DatabaseModule,
        CacheModule,
        MessagingModule.forRoot({ outboxes: config.modules, subscriptions }, worker),
        HealthModule,
        AuthPlatformModule,
        RateLimitModule,
        HttpPlatformModule,
        ...apiOnly,
        ...config.modules.map((name) => contexts[name]()),
      ],
    };
  }
}
