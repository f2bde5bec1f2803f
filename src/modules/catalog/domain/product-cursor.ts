import { createHmac, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from './catalog.errors.js';

/** Position after the last product of a page, in (createdAt desc, id desc) order. */
export interface ProductPosition {
  createdAt: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Opaque, signed page cursors: a client cannot forge or edit one into an arbitrary query, and a
 * tampered one is a clean 400 rather than a strange page.
 */
export class ProductCursorCodec {
  constructor(private readonly secret: string) {}

  encode(position: ProductPosition): string {
    const body = `${position.createdAt.getTime()}.${position.id}`;
    return `${Buffer.from(body).toString('base64url')}.${this.sign(body)}`;
  }

  decode(cursor: string): ProductPosition {
    const [encoded, signature, extra] = cursor.split('.');
    if (!encoded || !signature || extra !== undefined || cursor.length > 200)
      throw new InvalidCursorError();
    const body = Buffer.from(encoded, 'base64url').toString();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      throw new InvalidCursorError();
    const [ms, id] = body.split('.');
    const createdAt = new Date(Number(ms));
    if (!UUID.test(id ?? '') || Number.isNaN(createdAt.getTime())) throw new InvalidCursorError();
    return { createdAt, id: id as string };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.secret)
      .update(`product-cursor:${body}`)
      .digest('base64url')
      .slice(0, 22);
  }
}
