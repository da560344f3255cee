import { describe, expect, it } from 'vitest';
import { microformNumberChange } from '../../../cybersource/networks/index.ts';

describe('microformNumberChange', () => {
  it('matches the Visa change payload of API-FACTS §5.4', () => {
    expect(microformNumberChange('4111111111111111')).toEqual({
      card: [
        {
          name: 'visa',
          brandedName: 'Visa',
          cybsCardType: '001',
          spaces: [4, 8, 12],
          lengths: [13, 14, 15, 16, 17, 18, 19],
          securityCode: { name: 'CVV', length: 3 },
          luhn: true,
          valid: true,
          couldBeValid: true,
        },
      ],
      valid: true,
      couldBeValid: true,
      empty: false,
    });
  });

  it.each([
    ['', [], { valid: false, couldBeValid: false, empty: true }],
    ['37', ['amex'], { valid: false, couldBeValid: true, empty: false }],
    [
      '4035500000000000',
      ['visa', 'cartes-bancaires'],
      { valid: true, couldBeValid: true, empty: false },
    ],
  ] as const)('%j → %j', (digits, cardNames, verdict) => {
    const change = microformNumberChange(digits);
    expect(change.card.map((c) => c.name)).toEqual(cardNames);
    expect(change).toMatchObject(verdict);
  });

  it('returns fresh arrays that do not alias the network table', () => {
    const first = microformNumberChange('4111111111111111').card[0];
    first?.spaces.push(16);
    expect(microformNumberChange('4111111111111111').card[0]?.spaces).toEqual([4, 8, 12]);
  });
});
