import { SLUG_PATTERN, slugify } from './slug.js';

describe('slugify', () => {
  it('turns names into URL slugs', () => {
    expect(slugify('Crème Brûlée  Torch — Pro!')).toBe('creme-brulee-torch-pro');
    expect(slugify('***')).toBe('product');
    expect(SLUG_PATTERN.test(slugify('A  B'))).toBe(true);
    expect(slugify('x'.repeat(200)).length).toBeLessThanOrEqual(80);
  });
});
