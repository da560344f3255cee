import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, luhnValid } from '../../../cybersource/networks/index.ts';

describe('luhnValid', () => {
  it.each([
    ['79927398713', true],
    ['79927398710', false],
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['378282246310005', true],
    ['378282246310006', false],
    ['0', true],
    ['1', false],
    ['', false],
    ['4111 1111 1111 1111', false],
    ['41111111111x1111', false],
  ])('%j → %s', (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });
});

describe('luhnCheckDigit', () => {
  it.each([
    ['7992739871', '3'],
    ['411111111111111', '1'],
    ['555555555555444', '4'],
    ['', '0'],
  ])('%j → %s', (partial, digit) => {
    expect(luhnCheckDigit(partial)).toBe(digit);
    expect(luhnValid(partial + digit)).toBe(true);
  });

  it('refuses non-digits', () => {
    expect(() => luhnCheckDigit('41x')).toThrow(TypeError);
  });
});
