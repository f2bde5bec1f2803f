/** The envelope every provider webhook shares: an id to de-duplicate on and a type. */
export interface ProviderEventEnvelope {
  id: string;
  type: string;
  payload: Record<string, unknown>;
}

const EVENT_ID = /^[A-Za-z0-9_.:-]{1,200}$/;
const EVENT_TYPE = /^[a-z_.]{1,100}$/;

/** The envelope of a parsed webhook body, or null when it is not one. */
export function readEnvelope(body: unknown): ProviderEventEnvelope | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { id, type } = body as { id?: unknown; type?: unknown };
  if (typeof id !== 'string' || !EVENT_ID.test(id)) return null;
  if (typeof type !== 'string' || !EVENT_TYPE.test(type)) return null;
  return { id, type, payload: body as Record<string, unknown> };
}
