import type { EventSubscription } from './integration-event.js';

/** Settings of the messaging platform, composed by AppModule from the contexts' contracts. */
export interface MessagingSettings {
  /** Contexts whose outbox tables this deployment relays (`<context>.outbox`). */
  outboxes: readonly string[];
  subscriptions: readonly EventSubscription[];
}

export const MESSAGING_SETTINGS = Symbol('MESSAGING_SETTINGS');
