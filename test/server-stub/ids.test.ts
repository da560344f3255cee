/**
 * The ids the stub mints: a payment's is the code the reconciler searches CyberSource's
 * Transaction Search for, whose Lucene-style query reads `-` as an operator.
 */
import { expect, it } from 'vitest';
import { newId, newTransactionId } from '../../server-stub/checkout/ids.ts';

it('mints prefixed ids of 16 letters and digits, never a - or _ after the prefix, all different', () => {
  const ids = Array.from({ length: 5_000 }, () => newId('pay'));
  for (const id of ids) expect(id).toMatch(/^pay_[A-Za-z0-9]{16}$/);
  expect(new Set(ids).size).toBe(ids.length);
  // Every letter and digit turns up: drawn from all 62, not a biased few.
  expect(new Set(ids.map((id) => id.slice(4)).join('')).size).toBe(62);
  expect(newTransactionId()).toMatch(/^[0-9a-f]{24}$/);
});
