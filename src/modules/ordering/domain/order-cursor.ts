import { InvalidInputError } from '../../../platform/errors/common-errors.js';

/** Position after the last order of a page, newest first: (placedAt, id). */
export interface OrderCursor {
  placedAt: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeOrderCursor(c: OrderCursor): string {
  return Buffer.from(`${c.placedAt}|${c.id}`).toString('base64url');
}

/** Not secret (it only says where a page ends) but validated: a bad one is 400. */
export function decodeOrderCursor(raw: string): OrderCursor {
  const [placedAt, id, extra] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (extra !== undefined || !id || !UUID.test(id) || !placedAt || isNaN(Date.parse(placedAt))) {
    throw new InvalidInputError(
      'ordering.invalid_cursor',
      'The cursor is not one this server issued',
    );
  }
  return { placedAt: new Date(placedAt).toISOString(), id };
}
