import { SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { IntegrationEvent } from './integration-event.js';

/** Where a handler lives and what it reacts to. */
export interface EventHandlerMetadata {
  /** The consuming context; its schema holds the processed_events table. */
  consumer: string;
  /** Stable name recorded with each processed event id. */
  name: string;
  events: readonly string[];
}

export const EVENT_HANDLER_METADATA = 'scaleshop:event-handler';

/** Work to do once the handler's transaction has committed (e.g. cache invalidation). */
export type AfterCommit = () => Promise<void>;

/**
 * Reacts to integration events. `handle` runs inside a transaction on the primary, together with
 * the record that the event was processed, so its effect happens exactly once. It may return a
 * callback that runs after the commit, for side effects that must not see uncommitted state.
 */
export interface IntegrationEventHandler {
  handle(event: IntegrationEvent, manager: EntityManager): Promise<AfterCommit | undefined>;
}

/** Marks a provider as a handler of integration events for a consuming context. */
export const HandlesEvents = (metadata: EventHandlerMetadata) =>
  SetMetadata(EVENT_HANDLER_METADATA, metadata);
