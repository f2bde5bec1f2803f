import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** What the platform remembers about the unit of work in flight: an HTTP request or a job. */
export interface RequestContext {
  requestId: string;
  /** Set once the unit of work has written to the primary: later reads must not hit a replica. */
  wrotePrimary: boolean;
  /** SQL statements run in this unit of work, by target; read by tests and metrics. */
  queries: { primary: number; replica: number };
}

const storage = new AsyncLocalStorage<RequestContext>();

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accepts a caller's request id only when it is short and plain; otherwise makes a new one. */
export function sanitizeRequestId(candidate: unknown): string {
  return typeof candidate === 'string' && REQUEST_ID_PATTERN.test(candidate)
    ? candidate
    : randomUUID();
}

export function newRequestContext(requestId?: string): RequestContext {
  return {
    requestId: requestId ?? randomUUID(),
    wrotePrimary: false,
    queries: { primary: 0, replica: 0 },
  };
}

export function runInContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

/** Enters a context for the rest of the current async flow (used from Fastify's onRequest hook). */
export function enterContext(ctx: RequestContext): void {
  storage.enterWith(ctx);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
