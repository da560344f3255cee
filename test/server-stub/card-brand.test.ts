import { describe, expect, it } from 'vitest';
import { brandOf, last4Of } from '../../server-stub/checkout/card-brand.ts';

describe('brand and last four the stub shows', () => {
  it.each([
    ['001', 'visa'],
    ['002', 'mastercard'],
    ['054', 'elo'],
    ['060', 'mada'],
    ['056', 'carnet'],
    ['046', 'jcrew'],
    ['999', 'unknown'],
    [undefined, 'unknown'],
  ] as const)('card type %s is %s', (code, brand) => {
    expect(brandOf(code)).toBe(brand);
  });

  it.each([
    ['XXXXXXXXXXXX1111', '1111'],
    ['411111XXXXXX0005', '0005'],
    [undefined, '????'],
  ] as const)('%s ends in %s', (masked, last4) => {
    expect(last4Of(masked)).toBe(last4);
  });
});
