import { CATALOG_EVENTS, CATALOG_SUBSCRIPTIONS } from './modules/catalog/catalog.contract.js';
import { IDENTITY_EVENTS, IDENTITY_SUBSCRIPTIONS } from './modules/identity/identity.contract.js';
import {
  INVENTORY_EVENTS,
  INVENTORY_SUBSCRIPTIONS,
} from './modules/inventory/inventory.contract.js';
import {
  NOTIFICATIONS_EVENTS,
  NOTIFICATIONS_SUBSCRIPTIONS,
} from './modules/notifications/notifications.contract.js';
import { ORDERING_EVENTS, ORDERING_SUBSCRIPTIONS } from './modules/ordering/ordering.contract.js';
import { PAYMENTS_EVENTS, PAYMENTS_SUBSCRIPTIONS } from './modules/payments/payments.contract.js';

/**
 * Contexts name the events they consume as strings (importing each other's contracts both ways
 * would be circular): a typo would subscribe to nothing and fail silently, so check them here.
 */
describe('contracts', () => {
  const published = new Set<string>(
    [
      CATALOG_EVENTS,
      IDENTITY_EVENTS,
      INVENTORY_EVENTS,
      NOTIFICATIONS_EVENTS,
      ORDERING_EVENTS,
      PAYMENTS_EVENTS,
    ].flatMap((events) => Object.values(events)),
  );
  // Internal events a context publishes to its own worker, outside its public event list.
  const internal = new Set(['payments.provider_event.received']);

  it.each([
    ['catalog', CATALOG_SUBSCRIPTIONS],
    ['identity', IDENTITY_SUBSCRIPTIONS],
    ['inventory', INVENTORY_SUBSCRIPTIONS],
    ['notifications', NOTIFICATIONS_SUBSCRIPTIONS],
    ['ordering', ORDERING_SUBSCRIPTIONS],
    ['payments', PAYMENTS_SUBSCRIPTIONS],
  ])('%s subscribes only to events some context publishes', (_name, subscriptions) => {
    const unknown = subscriptions.filter((type) => !published.has(type) && !internal.has(type));
    expect(unknown).toEqual([]);
  });

  it('names every event <context>.<aggregate>.<what happened>', () => {
    for (const type of published) expect(type).toMatch(/^[a-z]+\.[a-z_]+\.[a-z_]+$/);
  });
});
