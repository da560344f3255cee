import { describe, expect, it } from 'vitest';
import {
  type CardNetwork,
  isSecurityCodeValid,
  NETWORKS,
} from '../../../cybersource/networks/index.ts';

const { AMEX, DINERSCLUB, VISA, CUP } = NETWORKS;

describe('isSecurityCodeValid', () => {
  it.each([
    ['123', [VISA], true],
    ['1234', [VISA], false],
    ['12', [VISA], false],
    ['1234', [AMEX], true],
    ['123', [AMEX], false],
    ['123', [CUP], true],
    ['123', [AMEX, DINERSCLUB], true],
    ['1234', [AMEX, DINERSCLUB], true],
    ['123', [], true],
    ['1234', [], true],
    ['12', [], false],
    ['12345', [], false],
    ['', [], false],
    ['12a', [], false],
    ['12 3', [VISA], false],
  ] as ReadonlyArray<[string, CardNetwork[], boolean]>)('%j for %j → %s', (code, networks, ok) => {
    expect(isSecurityCodeValid(code, networks)).toBe(ok);
  });
});
