import { currentContext, newRequestContext, runInContext } from '../context/request-context.js';

/**
 * What every job's data carries besides its payload: the id of the request that caused it, so
 * that the job's logs (and whatever it enqueues or writes to an outbox) trace back to it.
 */
export interface JobContextData {
  requestId?: string;
}

/**
 * The context fields for the data of a job enqueued now: spread it into the job data
 * (`queue.add(name, { ...payload, ...jobRequestContext() })`). Outside any request it is empty.
 */
export function jobRequestContext(): JobContextData {
  const requestId = currentContext()?.requestId;
  return requestId ? { requestId } : {};
}

/**
 * Runs a job processor inside the request context its data names (a fresh id when it names
 * none), as InboxWorkers does for events: logs, outbox rows and further jobs keep the id.
 */
export function withJobContext<T>(
  data: JobContextData | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const requestId = typeof data?.requestId === 'string' ? data.requestId : undefined;
  return runInContext(newRequestContext(requestId), fn);
}
