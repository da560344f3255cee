/**
 * `maskCardNumbers`: what keeps a card number a client pasted into a key or a path out of error
 * bodies and the access log, without eating the long ids CyberSource uses.
 */
import { describe, expect, it } from 'vitest';
import { maskCardNumbers } from '../../server-stub/http/redact.ts';

describe('maskCardNumbers', () => {
  it('masks 13–19 digit runs, grouped or not, keeping the last four', () => {
    expect(maskCardNumbers('Unrecognized key: "4111111111111111"')).toBe(
      'Unrecognized key: "************1111"',
    );
    expect(maskCardNumbers('/api/payment-methods/4111 1111 1111 1111/default')).toBe(
      '/api/payment-methods/************1111/default',
    );
    expect(maskCardNumbers('a 3782-822463-10005 b 6011111111111117')).toBe(
      'a ***********0005 b ************1117',
    );
  });

  it('leaves shorter numbers and longer digit runs (CyberSource transaction ids) alone', () => {
    for (const text of ['order 123456789012', '6461731521426399003522', 'pay_abc', '2026-05-01']) {
      expect(maskCardNumbers(text)).toBe(text);
    }
  });
});
