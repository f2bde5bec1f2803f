import type { MigrationInterface } from 'typeorm';
import { InitialIdentityAndCatalog1764201600000 } from './1764201600000-initial-identity-and-catalog.js';
import { CatalogVariantsCategoriesAndReadModel1764288000000 } from './1764288000000-catalog-variants-categories-and-read-model.js';
import { CheckoutContextSchemas1764374400000 } from './1764374400000-checkout-context-schemas.js';
import { InventoryStockAndReservations1764374401000 } from './1764374401000-inventory-stock-and-reservations.js';
import { OrderingCartsAndOrders1764374402000 } from './1764374402000-ordering-carts-and-orders.js';
import { PaymentsIntentsAndProviderEvents1764374403000 } from './1764374403000-payments-intents-and-provider-events.js';
import { NotificationsMessages1764374404000 } from './1764374404000-notifications-messages.js';
import { CatalogVariantStock1764374405000 } from './1764374405000-catalog-variant-stock.js';

/** Every migration, in order. A new migration is added here (the drift check fails otherwise). */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  InitialIdentityAndCatalog1764201600000,
  CatalogVariantsCategoriesAndReadModel1764288000000,
  CheckoutContextSchemas1764374400000,
  InventoryStockAndReservations1764374401000,
  OrderingCartsAndOrders1764374402000,
  PaymentsIntentsAndProviderEvents1764374403000,
  NotificationsMessages1764374404000,
  CatalogVariantStock1764374405000,
];
