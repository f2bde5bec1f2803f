import { InvalidCursorError } from './catalog.errors.js';
import { PageCursorCodec } from './page-cursor.js';

describe('PageCursorCodec', () => {
  const codec = new PageCursorCodec('s'.repeat(32));
  const position = {
    sort: 'newest',
    key: 1767322245678,
    id: '0b6c1d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  };

  it('round-trips a position', () => {
    expect(codec.decode(codec.encode(position), 'newest')).toEqual(position);
  });

  it('rejects edited, foreign, cross-sort and garbage cursors', () => {
    const cursor = codec.encode(position);
    const [body, sig] = cursor.split('.');
    const edited = Buffer.from(`newest.0.${position.id}`).toString('base64url');
    expect(() => codec.decode(`${edited}.${sig}`, 'newest')).toThrow(InvalidCursorError);
    expect(() => new PageCursorCodec('t'.repeat(32)).decode(cursor, 'newest')).toThrow(
      InvalidCursorError,
    );
    expect(() => codec.decode(cursor, 'price_asc')).toThrow(InvalidCursorError);
    expect(() => codec.decode('garbage', 'newest')).toThrow(InvalidCursorError);
    expect(() => codec.decode(`${body}.${sig}.x`, 'newest')).toThrow(InvalidCursorError);
  });
});
