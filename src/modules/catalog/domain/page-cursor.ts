import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './catalog.errors.js';

/** Position after the last item of a page: the sort it belongs to, its sort key and its id. */
export interface PagePosition {
  sort: string;
  key: number;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Opaque, signed page cursors: a client cannot forge or edit one into an arbitrary query, and a
 * tampered cursor, or one from another sort order, is a clean 400 rather than a strange page.
 */
export class PageCursorCodec {
  constructor(private readonly secret: string) {}

  encode(position: PagePosition): string {
    const body = `${position.sort}.${position.key}.${position.id}`;
    return `${Buffer.from(body).toString('base64url')}.${this.sign(body)}`;
  }

  decode(cursor: string, expectedSort: string): PagePosition {
    const [encoded, signature, extra] = cursor.split('.');
    if (!encoded || !signature || extra !== undefined || cursor.length > 300) {
      throw new InvalidCursorError();
    }
    const body = Buffer.from(encoded, 'base64url').toString();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new InvalidCursorError();
    }
    const [sort, key, id] = body.split('.');
    const numeric = Number(key);
    if (sort !== expectedSort || !UUID.test(id ?? '') || !Number.isFinite(numeric)) {
      throw new InvalidCursorError();
    }
    return { sort, key: numeric, id: id as string };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret)
      .update(`page-cursor:${body}`)
      .digest('base64url')
      .slice(0, 22);
  }
}
