import { beforeEach, describe, expect, it } from 'vitest';
import { amount, cardPayment, setup } from './setup.ts';

const t = setup();

const timeoutReversal = (transactionId: string, totalAmount = '100.00') => ({
  clientReferenceInformation: { code: 'tr', transactionId },
  reversalInformation: { reason: 'timeout', amountDetails: { totalAmount, currency: 'USD' } },
});

describe('timeout reversal and timeout void by transactionId (RELIABILITY-FACTS §3.6)', () => {
  beforeEach(() => t.reset());

  it("reverses without a currency, as CyberSource's own timeout-reversal samples send it", async () => {
    await t.post('/pts/v2/payments', cardPayment({ amount: '100.00', transactionId: 'tx-cur' }));
    t.advance(61_000);
    const body = timeoutReversal('tx-cur');
    delete (body.reversalInformation.amountDetails as { currency?: string }).currency;
    const r = await t.post('/pts/v2/reversals', body);
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('REVERSED');
    expect(r.body.reversalAmountDetails).toMatchObject({
      reversedAmount: '100.00',
      currency: 'USD',
    });
  });

  it("refuses a currency other than the authorization's", async () => {
    await t.post('/pts/v2/payments', cardPayment({ amount: '100.00', transactionId: 'tx-eur' }));
    t.advance(61_000);
    const body = timeoutReversal('tx-eur');
    body.reversalInformation.amountDetails.currency = 'EUR';
    const r = await t.post('/pts/v2/reversals', body);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('INVALID_DATA');
    expect(r.body.details).toEqual([
      expect.objectContaining({ field: 'reversalInformation.amountDetails.currency' }),
    ]);
    const retried = await t.post('/pts/v2/reversals', timeoutReversal('tx-eur'));
    expect(retried.body.status).toBe('REVERSED');
  });

  it('reverses an authorization whose answer was lost, after the 60-second wait', async () => {
    const lost = await t.post(
      '/pts/v2/payments',
      cardPayment({ amount: '100.00', transactionId: 'tx-a' }),
    );
    expect(lost.status).toBe(201);
    const early = await t.post('/pts/v2/reversals', timeoutReversal('tx-a'));
    expect(early.body.reason).toBe('MISSING_AUTH');
    t.advance(60_000);
    const r = await t.post('/pts/v2/reversals', timeoutReversal('tx-a'));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('REVERSED');
    expect(r.body.reversalAmountDetails.reversedAmount).toBe('100.00');
    const capture = await t.post(`/pts/v2/payments/${lost.body.id}/captures`, amount('100.00'));
    expect(capture.body.reason).toBe('AUTH_ALREADY_REVERSED');
  });

  it('reverses the authorization behind a 2000.00 processor timeout', async () => {
    expect(
      (await t.post('/pts/v2/payments', cardPayment({ amount: '2000.00', transactionId: 'tx-b' })))
        .status,
    ).toBe(502);
    t.advance(61_000);
    const r = await t.post('/pts/v2/reversals', timeoutReversal('tx-b', '2000.00'));
    expect(r.body.status).toBe('REVERSED');
  });

  it('answers a timeout reversal of a declined authorization with its original amount and response code', async () => {
    await t.post('/pts/v2/payments', cardPayment({ amount: '2102.00', transactionId: 'tx-c' }));
    t.advance(61_000);
    const r = await t.post('/pts/v2/reversals', timeoutReversal('tx-c', '2102.00'));
    expect(r.status).toBe(201);
    expect(r.body.reversalAmountDetails).toEqual({
      originalTransactionAmount: '2102.00',
      currency: 'USD',
    });
    expect(r.body.processorInformation.responseCode).toBe('51');
  });

  it.each([['an unknown transactionId', 'never-sent', 'MISSING_AUTH']])(
    'refuses %s',
    async (_, tid, reason) => {
      expect((await t.post('/pts/v2/reversals', timeoutReversal(tid))).body.reason).toBe(reason);
    },
  );

  it('refuses a timeout reversal of a sale (use a timeout void)', async () => {
    await t.post(
      '/pts/v2/payments',
      cardPayment({ amount: '100.00', capture: true, transactionId: 'tx-d' }),
    );
    t.advance(61_000);
    const r = await t.post('/pts/v2/reversals', timeoutReversal('tx-d'));
    expect(r.body.reason).toBe('TRANSACTION_ALREADY_REVERSED_OR_SETTLED');
  });

  it('reads a transactionId sent as a JSON number as its digits, as the official timeout samples send it', async () => {
    // timeout-void.js: the sale and the void both name the transaction by a number.
    const body = cardPayment({ amount: '100.00', capture: true });
    (body.clientReferenceInformation as Record<string, unknown>).transactionId = 276680075;
    const sale = await t.post('/pts/v2/payments', body);
    expect(sale.status).toBe(201);
    expect(sale.body.clientReferenceInformation.transactionId).toBe('276680075');
    const voided = await t.post('/pts/v2/voids', {
      clientReferenceInformation: { code: 'TC50171_3', transactionId: 276680075 },
    });
    expect(voided.status).toBe(201);
    expect(voided.body.status).toBe('VOIDED');
    // Only a whole number is read so; anything else is still refused.
    const odd = await t.post('/pts/v2/voids', {
      clientReferenceInformation: { transactionId: 2766.5 },
    });
    expect(odd.status).toBe(400);
    expect(odd.body.details).toEqual([
      expect.objectContaining({ field: 'clientReferenceInformation.transactionId' }),
    ]);
  });

  it('voids a sale and a refund by their transactionIds', async () => {
    const sale = await t.post(
      '/pts/v2/payments',
      cardPayment({ amount: '100.00', capture: true, transactionId: 'tx-e' }),
    );
    const refund = await t.post(`/pts/v2/payments/${sale.body.id}/refunds`, {
      clientReferenceInformation: { transactionId: 'tx-f' },
      ...amount('10.00'),
    });
    expect(refund.status).toBe(201);
    const voidRefund = await t.post('/pts/v2/voids', {
      clientReferenceInformation: { transactionId: 'tx-f' },
    });
    expect(voidRefund.body.status).toBe('VOIDED');
    const voidSale = await t.post('/pts/v2/voids', {
      clientReferenceInformation: { transactionId: 'tx-e' },
    });
    expect(voidSale.body.voidAmountDetails.voidAmount).toBe('100.00');
    // Each void echoes the transactionId it named its target by in its answer (the
    // timeout-void page's example answer), not in its Transaction Details record (whose
    // clientReferenceInformation has no transactionId), and that id still names the target.
    expect(voidSale.body.clientReferenceInformation.transactionId).toBe('tx-e');
    const record = await t.call(`/tss/v2/transactions/${voidSale.body.id}`);
    expect(record.body.clientReferenceInformation).toEqual({});
    const byTid = (tid: string) =>
      t.emulator.state.payments.byTransactionId(record.body.merchantId, tid)?.kind;
    expect([byTid('tx-e'), byTid('tx-f')]).toEqual(['payment', 'refund']);
  });

  it('refuses a timeout void for an unknown transactionId or an authorization', async () => {
    const r = await t.post('/pts/v2/voids', {
      clientReferenceInformation: { transactionId: 'nope' },
    });
    // As the timeout-void page documents the declined answer: INVALID_DATA, no details.
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ status: 'INVALID_REQUEST', reason: 'INVALID_DATA' });
    expect(r.body).not.toHaveProperty('details');
    await t.post('/pts/v2/payments', cardPayment({ transactionId: 'tx-g' }));
    const auth = await t.post('/pts/v2/voids', {
      clientReferenceInformation: { transactionId: 'tx-g' },
    });
    expect(auth.body.reason).toBe('NOT_VOIDABLE');
  });

  it('requires the transactionId', async () => {
    const r = await t.post('/pts/v2/voids', { clientReferenceInformation: { code: 'x' } });
    expect(r.body.details).toEqual([
      { field: 'clientReferenceInformation.transactionId', reason: 'MISSING_FIELD' },
    ]);
  });
});
