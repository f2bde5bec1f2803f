import { InvalidCursorError } from './catalog.errors.js';
import { ProductCursorCodec } from './product-cursor.js';

describe('ProductCursorCodec', () => {
  const codec = new ProductCursorCodec('s'.repeat(32));
  const position = {
    createdAt: new Date('2026-01-02T03:04:05.678Z'),
    id: '0b6c1d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  };

  it('round-trips a position', () => {
    expect(codec.decode(codec.encode(position))).toEqual(position);
  });

  it('rejects edited, foreign and garbage cursors', () => {
    const cursor = codec.encode(position);
    const [body, sig] = cursor.split('.');
    const edited = Buffer.from(`0.${position.id}`).toString('base64url');
    expect(() => codec.decode(`${edited}.${sig}`)).toThrow(InvalidCursorError);
    expect(() => new ProductCursorCodec('t'.repeat(32)).decode(cursor)).toThrow(InvalidCursorError);
    expect(() => codec.decode('garbage')).toThrow(InvalidCursorError);
    expect(() => codec.decode(`${body}.${sig}.x`)).toThrow(InvalidCursorError);
  });
});
