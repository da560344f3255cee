import { describe, expect, it } from 'vitest';
import {
  type CardNetwork,
  formatCardNumber,
  NETWORKS,
} from '../../../cybersource/networks/index.ts';

describe('formatCardNumber', () => {
  it.each([
    ['4111111111111111', undefined, '4111 1111 1111 1111'],
    ['4111 1111 1111 1111', undefined, '4111 1111 1111 1111'],
    ['378282246310005', undefined, '3782 822463 10005'],
    ['36000000000008', undefined, '3600 000000 0008'],
    ['4111111111111111110', undefined, '4111 1111 1111 1111110'],
    ['6200000000000005', undefined, '6200 0000 0000 0005'],
    ['4111', undefined, '4111'],
    ['41111', undefined, '4111 1'],
    ['3782', undefined, '3782'],
    ['37828224', undefined, '3782 8224'],
    ['', undefined, ''],
    ['1234567890', undefined, '1234 5678 90'],
    ['4111111111111111', NETWORKS.AMEX, '4111 111111 111111'],
  ] as ReadonlyArray<[string, CardNetwork | undefined, string]>)(
    '%j (%s) → %j',
    (digits, network, expected) => {
      expect(formatCardNumber(digits, network)).toBe(expected);
    },
  );
});
