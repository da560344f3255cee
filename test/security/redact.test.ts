/**
 * `maskCardNumbers`: what keeps a card number a client pasted into a key or a path out of error
 * bodies and the access log, without eating the long ids CyberSource uses.
 */
import { describe, expect, it } from 'vitest';
import { loggablePath, maskCardNumbers } from '../../server-stub/http/redact.ts';

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

  it('masks numbers grouped by dots, underscores or plus signs too', () => {
    for (const grouped of ['4111.1111.1111.1111', '4111_1111_1111_1111', '4111+1111+1111+1111'])
      expect(maskCardNumbers(`/api/x/${grouped}`)).toBe('/api/x/************1111');
  });

  it('decodes a logged path before masking it, and masks one that does not decode', () => {
    expect(loggablePath(`/api/payment-methods/${encodeURIComponent('4111 1111 1111 1111')}`)).toBe(
      '/api/payment-methods/************1111',
    );
    expect(loggablePath('/api/x/%E0%A4%A/4111%201111%201111%201111')).toBe(
      '/api/x/%E0%A4%A/************1111',
    );
    expect(loggablePath('/api/payment-methods/pi_6C09%2Fx/default')).toBe(
      '/api/payment-methods/pi_6C09/x/default',
    );
  });

  it('leaves shorter numbers and longer digit runs (CyberSource transaction ids) alone', () => {
    for (const text of ['order 123456789012', '6461731521426399003522', 'pay_abc', '2026-05-01']) {
      expect(maskCardNumbers(text)).toBe(text);
    }
  });
});
