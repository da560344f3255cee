import { beforeEach, describe, expect, it } from 'vitest';
import { amount, cardPayment, mintToken, setup, tokenPayment } from './setup.ts';

const t = setup();

describe('concurrent requests cannot double-spend', () => {
  beforeEach(() => t.reset());

  it('20 concurrent refunds of 10.00 against 150.00 captured: exactly 15 succeed', async () => {
    const { body } = await t.post(
      '/pts/v2/payments',
      cardPayment({ amount: '150.00', capture: true }),
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.post(`/pts/v2/payments/${body.id}/refunds`, amount('10.00')),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(15);
    expect(
      results.filter((r) => r.status === 400).every((r) => r.body.reason === 'INVALID_AMOUNT'),
    ).toBe(true);
    const details = await t.call(`/tss/v2/transactions/${body.id}`);
    expect(details.body.orderInformation.amountDetails.refundBalance).toBe('0.00');
  });

  it('a transient token used by 5 concurrent payments authorizes exactly once', async () => {
    const jwt = await mintToken(t.emulator);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.post('/pts/v2/payments', tokenPayment(jwt))),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(4);
  });

  it('one transactionId sent by 5 concurrent payments is recorded once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        t.post('/pts/v2/payments', cardPayment({ transactionId: 'same' })),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.body.reason === 'DUPLICATE_REQUEST')).toHaveLength(4);
  });
});
