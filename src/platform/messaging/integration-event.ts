/** A fact one context publishes for others: versioned plain data, never an entity. */
export interface IntegrationEvent<TPayload extends object = Record<string, unknown>> {
  /** Unique id; also the BullMQ job id and the de-duplication key of every consumer. */
  id: string;
  /** `<context>.<aggregate>.<what happened>`, e.g. `catalog.product.updated`. */
  type: string;
  version: number;
  /** Context whose outbox it came from. */
  producer: string;
  occurredAt: string;
  payload: TPayload;
  /** Request that caused it, so logs of the job can be tied to the request. */
  requestId?: string;
}

/** What a use case hands to the outbox; the rest is filled in when the row is written. */
export interface NewIntegrationEvent<TPayload extends object = Record<string, unknown>> {
  type: string;
  version: number;
  payload: TPayload;
}

/** Which consumer context wants which event types; composed from the contexts' contracts. */
export interface EventSubscription {
  consumer: string;
  events: readonly string[];
}

/** The queue that carries events to a consuming context. */
export function inboxQueueName(consumer: string): string {
  return `${consumer}-inbox`;
}
