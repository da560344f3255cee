import { describe, expect, it } from 'vitest';
import {
  assessCardNumber,
  detectNetworks,
  luhnCheckDigit,
  NETWORK_NAMES,
  NETWORKS,
  type NetworkName,
  TEST_CARDS,
} from '../../../cybersource/networks/index.ts';

const names = (digits: string, allowed?: readonly NetworkName[]) =>
  detectNetworks(digits, allowed).map((n) => n.name);

/** A Luhn-valid number of `length` digits starting with `prefix`. */
const numberOf = (prefix: string, length: number) => {
  const body = prefix.padEnd(length - 1, '0');
  return body + luhnCheckDigit(body);
};

describe('TEST_CARDS detection', () => {
  it.each(TEST_CARDS)('$number ($description) is $network, valid', (card) => {
    const expected = [card.network, ...(card.coBadgedWith ?? [])].sort();
    expect(names(card.number).sort()).toEqual(expected);
    const all = assessCardNumber(card.number);
    expect(all).toMatchObject({ valid: true, couldBeValid: true, empty: false });
    // Valid with only its own network allowed, and with only each partner allowed.
    for (const name of expected) {
      expect(assessCardNumber(card.number, [name]).valid).toBe(true);
      expect(names(card.number, [name])).toEqual([name]);
    }
  });
});

describe('detection order', () => {
  it.each([
    ['4035500000000000', undefined, ['VISA', 'CARTESBANCAIRES']],
    ['4035500000000000', ['CARTESBANCAIRES', 'VISA'], ['CARTESBANCAIRES', 'VISA']],
    ['5294150000000007', undefined, ['MASTERCARD', 'MADA']],
    ['4564000000000000', undefined, ['VISA', 'EFTPOS']],
    ['4011780000000006', undefined, ['ELO', 'VISA']],
    ['5066990000000002', undefined, ['ELO', 'MAESTRO']],
    ['6200000000000005', undefined, ['CUP', 'MAESTRO']],
    ['6277800000000006', undefined, ['ELO', 'CUP', 'MAESTRO']],
    ['6221260000000000', undefined, ['DISCOVER', 'CUP']],
    ['6221260000000000', ['CUP', 'DISCOVER'], ['CUP', 'DISCOVER']],
    // Elo's 4xxxxx BINs are Elo's own; CB, mada and eftpos there are co-badges.
    ['4', undefined, ['VISA', 'ELO', 'CARTESBANCAIRES', 'MADA', 'EFTPOS']],
    ['60111', undefined, ['DISCOVER']],
    ['60115', undefined, ['MAESTRO']],
    ['3', undefined, ['AMEX', 'JCB', 'DINERSCLUB']],
    ['2', undefined, ['MASTERCARD', 'MADA']],
    ['7', undefined, ['JCREW']],
    ['9', undefined, ['MADA']],
    ['1', undefined, []],
  ] as const)('%s (allowed %j) → %j', (digits, allowed, expected) => {
    expect(names(digits, allowed)).toEqual(expected);
  });

  it('leaves out networks whose longest length is exceeded', () => {
    expect(names('40355000000000000')).toEqual(['VISA']); // 17 digits: CB stops at 16
    expect(names('41111111111111111111')).toEqual([]); // 20 digits
  });
});

describe('assessCardNumber', () => {
  it.each([
    ['', undefined, { valid: false, couldBeValid: false, empty: true }, []],
    ['   ', undefined, { valid: false, couldBeValid: false, empty: true }, []],
    [
      '4',
      undefined,
      { valid: false, couldBeValid: true, empty: false },
      ['VISA', 'ELO', 'CARTESBANCAIRES', 'MADA', 'EFTPOS'],
    ],
    ['4', ['VISA'], { valid: false, couldBeValid: true, empty: false }, ['VISA']],
    ['9999', undefined, { valid: false, couldBeValid: false, empty: false }, []],
    ['1234567890123456', undefined, { valid: false, couldBeValid: false, empty: false }, []],
    // Mastercard is 16 digits only: a bad check digit can no longer be fixed.
    [
      '5555555555554445',
      undefined,
      { valid: false, couldBeValid: false, empty: false },
      ['MASTERCARD'],
    ],
    // Visa allows 13–19 digits in MF011, so a 16-digit bad-Luhn Visa can still become valid.
    ['4111111111111112', undefined, { valid: false, couldBeValid: true, empty: false }, ['VISA']],
    ['4111111111111112', ['VISA'], { valid: false, couldBeValid: true, empty: false }, ['VISA']],
    ['4111 1111 1111 1111', undefined, { valid: true, couldBeValid: true, empty: false }, ['VISA']],
    ['4111-1111-1111-1111', undefined, { valid: false, couldBeValid: false, empty: false }, []],
    ['37828224631000', undefined, { valid: false, couldBeValid: true, empty: false }, ['AMEX']],
    ['3782822463100050', undefined, { valid: false, couldBeValid: false, empty: false }, []],
    // allowedCardNetworks filtering: an Amex number when only Visa is allowed.
    ['378282246310005', ['VISA'], { valid: false, couldBeValid: false, empty: false }, []],
    ['37', ['VISA', 'MASTERCARD'], { valid: false, couldBeValid: false, empty: false }, []],
    [
      '4111111111111111',
      ['MASTERCARD', 'VISA'],
      { valid: true, couldBeValid: true, empty: false },
      ['VISA'],
    ],
    // Co-badged card with only the local brand allowed.
    [
      '4035500000000000',
      ['CARTESBANCAIRES'],
      { valid: true, couldBeValid: true, empty: false },
      ['CARTESBANCAIRES'],
    ],
  ] as ReadonlyArray<[string, NetworkName[] | undefined, Record<string, boolean>, NetworkName[]]>)(
    '%j (allowed %j)',
    (digits, allowed, verdict, networks) => {
      const a = assessCardNumber(digits, allowed);
      expect({ valid: a.valid, couldBeValid: a.couldBeValid, empty: a.empty }).toEqual(verdict);
      expect(a.networks.map((n) => n.name)).toEqual(networks);
    },
  );

  it('needs every matched network valid, as MF011 does', () => {
    // 17 digits in 62xxxx: Maestro (12–19) is valid, UnionPay (16, 19) is not.
    const n = numberOf('620000', 17);
    const a = assessCardNumber(n);
    expect(a.cards.map((c) => [c.network.name, c.valid, c.couldBeValid])).toEqual([
      ['CUP', false, true],
      ['MAESTRO', true, true],
    ]);
    expect(a.valid).toBe(false);
    expect(a.couldBeValid).toBe(true);
    expect(assessCardNumber(n, ['MAESTRO']).valid).toBe(true);
  });

  it.each(NETWORK_NAMES)('%s is valid at exactly its allowed lengths', (name) => {
    const network = NETWORKS[name];
    const prefix = network.ranges[0]?.low ?? '';
    for (let length = 11; length <= 20; length += 1) {
      const a = assessCardNumber(numberOf(prefix, length), [name]);
      expect({ length, valid: a.valid }).toEqual({
        length,
        valid: network.lengths.includes(length),
      });
    }
  });

  it.each(NETWORK_NAMES)(
    '%s: a full-length number with a wrong check digit is not valid',
    (name) => {
      const network = NETWORKS[name];
      const good = numberOf(network.ranges[0]?.low ?? '', network.lengths[0] ?? 16);
      const last = Number(good.at(-1));
      const bad = good.slice(0, -1) + String((last + 1) % 10);
      expect(assessCardNumber(bad, [name]).valid).toBe(false);
    },
  );

  it('could be valid at every prefix of a valid number', () => {
    for (const card of TEST_CARDS) {
      for (let i = 1; i < card.number.length; i += 1) {
        expect(assessCardNumber(card.number.slice(0, i)).couldBeValid).toBe(true);
      }
    }
  });
});
