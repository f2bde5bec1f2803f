import { crossesZero, mergeLines } from './stock-lines.js';
import { InvalidStockLineError } from './inventory.errors.js';

describe('mergeLines', () => {
  it('sums quantities per SKU and sorts by SKU (lock order)', () => {
    expect(
      mergeLines([
        { sku: 'b', quantity: 1 },
        { sku: 'a', quantity: 2 },
        { sku: 'b', quantity: 3 },
        { sku: 'B', quantity: 1 },
      ]),
    ).toEqual([
      { sku: 'B', quantity: 1 },
      { sku: 'a', quantity: 2 },
      { sku: 'b', quantity: 4 },
    ]);
  });

  it.each([
    [[]],
    [[{ sku: '', quantity: 1 }]],
    [[{ sku: 'a', quantity: 0 }]],
    [[{ sku: 'a', quantity: -1 }]],
    [[{ sku: 'a', quantity: 1.5 }]],
    [
      [
        { sku: 'a', quantity: 600_000 },
        { sku: 'a', quantity: 600_000 },
      ],
    ],
  ])('refuses %j', (lines) => {
    expect(() => mergeLines(lines)).toThrow(InvalidStockLineError);
  });
});

describe('crossesZero', () => {
  it.each([
    [1, 0, true],
    [0, 3, true],
    [5, 4, false],
    [0, 0, false],
    [2, 7, false],
  ])('%i -> %i: %s', (before, after, expected) => {
    expect(crossesZero(before, after)).toBe(expected);
  });
});
