import { beforeEach, describe, expect, it } from 'vitest';
import { cardPayment, mintToken, setup, tokenPayment } from './setup.ts';

const t = setup();

describe('sandbox trigger table (emulator/payments/README.md)', () => {
  beforeEach(() => t.reset());

  it.each([
    ['2100.00', 'PROCESSOR_DECLINED'],
    ['2101.00', 'GENERAL_DECLINE'],
    ['2102.00', 'INSUFFICIENT_FUND'],
    ['2103.00', 'EXPIRED_CARD'],
    ['2104.00', 'STOLEN_LOST_CARD'],
    ['2105.00', 'INVALID_ACCOUNT'],
  ])('declines %s with %s as HTTP 201', async (amount, reason) => {
    const r = await t.post('/pts/v2/payments', cardPayment({ amount, capture: true }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('DECLINED');
    expect(r.body.errorInformation.reason).toBe(reason);
    expect(r.body.errorInformation.message).toMatch(/^Decline - /);
    expect(r.body.id).toMatch(/^\d{22}$/);
    expect(r.body.processorInformation.responseCode).not.toBe('100');
    expect(r.body._links).toEqual({
      self: { method: 'GET', href: `/pts/v2/payments/${r.body.id}` },
    });
  });

  it('declines the real sandbox invalid 17-digit card with its exact message', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ number: '42423482938483873' }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('DECLINED');
    expect(r.body.errorInformation).toEqual({
      reason: 'INVALID_ACCOUNT',
      message: 'Decline - Invalid account number',
    });
  });

  it('declines a Luhn-invalid number as INVALID_ACCOUNT', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ number: '4111111111111112' }));
    expect(r.body.errorInformation.reason).toBe('INVALID_ACCOUNT');
  });

  it.each([
    ['02', '2026', 'DECLINED'],
    ['03', '2026', 'AUTHORIZED'],
  ])('expiry %s/%s on 2026-03-10 → %s', async (m, y, status) => {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({ expirationMonth: m, expirationYear: y }),
    );
    expect(r.body.status).toBe(status);
    if (status === 'DECLINED') expect(r.body.errorInformation.reason).toBe('EXPIRED_CARD');
  });

  it.each([
    ['2200.00', undefined, 'AVS_FAILED'],
    ['2201.00', undefined, 'CV_FAILED'],
    ['10.00', '002', 'CV_FAILED'],
  ])('holds %s (security code %s) for review: %s', async (amount, securityCode, reason) => {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({ amount, ...(securityCode ? { securityCode } : {}), capture: true }),
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED_PENDING_REVIEW');
    expect(r.body.errorInformation.reason).toBe(reason);
    expect(r.body.errorInformation.message).toMatch(/^Soft Decline - /);
    // issuer approved, the sale's capture did not run: the merchant decides (capture or reverse)
    expect(r.body.processorInformation.approvalCode).toMatch(/^\d{6}$/);
    expect(Object.keys(r.body._links).sort()).toEqual(['authReversal', 'capture', 'self']);
  });

  it("2203.00: Decision Manager holds the approved sale for a person's review", async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ amount: '2203.00', capture: true }));
    expect(r.body).toMatchObject({
      status: 'AUTHORIZED_PENDING_REVIEW',
      errorInformation: { reason: 'DECISION_PROFILE_REVIEW' },
    });
    expect(r.body.processorInformation.approvalCode).toMatch(/^\d{6}$/);
    // Not the AVS or CVN checks: their ignore flags do not release it.
    const again = await t.post('/pts/v2/payments', {
      ...cardPayment({ amount: '2203.00' }),
      processingInformation: {
        capture: true,
        authorizationOptions: { ignoreAvsResult: true, ignoreCvResult: true },
      },
    });
    expect(again.body.status).toBe('AUTHORIZED_PENDING_REVIEW');
  });

  it('2202.00: the issuer approves, Decision Manager rejects; the hold stays until reversed', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ amount: '2202.00', capture: true }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED_RISK_DECLINED');
    expect(r.body.errorInformation.reason).toBe('DECISION_PROFILE_REJECT');
    expect(r.body.processorInformation.approvalCode).toMatch(/^\d{6}$/);
    // not captured: what the issuer holds is released only by a reversal of the full amount
    expect(Object.keys(r.body._links).sort()).toEqual(['authReversal', 'capture', 'self']);
    // Transaction Details as a real sandbox record of one: Decision Manager's reject, no status.
    const details = await t.call(`/tss/v2/transactions/${r.body.id}`);
    const info = details.body.applicationInformation;
    expect(info.status).toBeUndefined();
    expect(info).toMatchObject({ reasonCode: 481, rCode: '0', rFlag: 'DREJECT' });
    expect(
      info.applications.map((a: { name: string; rFlag: string }) => [a.name, a.rFlag]),
    ).toEqual([
      ['ics_decision', 'DREJECT'],
      ['ics_auth', 'SOK'],
    ]);
    const refund = await t.post(`/pts/v2/payments/${r.body.id}/refunds`, {
      orderInformation: { amountDetails: { totalAmount: '2202.00', currency: 'USD' } },
    });
    expect(refund.status).toBe(400);
    const reversal = await t.post(`/pts/v2/payments/${r.body.id}/reversals`, {
      reversalInformation: { reason: '34', amountDetails: { totalAmount: '2202.00' } },
    });
    expect(reversal.status).toBe(201);
    expect(reversal.body.status).toBe('REVERSED');
    const again = await t.post(`/pts/v2/payments/${r.body.id}/reversals`, {
      reversalInformation: { reason: '34', amountDetails: { totalAmount: '2202.00' } },
    });
    expect(again.body.reason).toBe('AUTH_ALREADY_REVERSED');
  });

  it('2202.00 with TOKEN_CREATE vaults nothing: a rejected order keeps no card', async () => {
    const body = cardPayment({ amount: '2202.00' });
    body.processingInformation = {
      capture: true,
      actionList: ['TOKEN_CREATE'],
      actionTokenTypes: ['customer', 'paymentInstrument', 'instrumentIdentifier'],
    };
    const r = await t.post('/pts/v2/payments', body);
    expect(r.body.status).toBe('AUTHORIZED_RISK_DECLINED');
    expect(r.body.tokenInformation).toBeUndefined();
    expect(t.emulator.state.tms.customers.size).toBe(0);
  });

  it('ignoreCvResult turns a CVN hold into an approval', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({
        securityCode: '002',
        extra: { processingInformation: { authorizationOptions: { ignoreCvResult: true } } },
      }),
    );
    expect(r.body.status).toBe('AUTHORIZED');
  });

  it('partially authorizes 2300.00 for half the total', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ amount: '2300.00' }));
    expect(r.body.status).toBe('PARTIAL_AUTHORIZED');
    expect(r.body.orderInformation.amountDetails).toEqual({
      totalAmount: '2300.00',
      authorizedAmount: '1150.00',
      currency: 'USD',
    });
  });

  it('declines 2300.00 with INSUFFICIENT_FUND when partial authorization is turned off', async () => {
    const body = cardPayment({ amount: '2300.00' });
    body.processingInformation = { authorizationOptions: { partialAuthIndicator: false } };
    const r = await t.post('/pts/v2/payments', body);
    expect(r.body.status).toBe('DECLINED');
    expect(r.body.errorInformation.reason).toBe('INSUFFICIENT_FUND');
  });

  it('2000.00: 502 SERVER_TIMEOUT, but the authorization happened and can be found', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({ amount: '2000.00', transactionId: 'lost-1', code: 'lost' }),
    );
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ status: 'SERVER_ERROR', reason: 'SERVER_TIMEOUT' });
    const search = await t.post('/tss/v2/searches', {
      query: 'clientReferenceInformation.code:lost',
    });
    expect(search.body.totalCount).toBe(1);
    expect(search.body._embedded.transactionSummaries[0].applicationInformation.status).toBe(
      'AUTHORIZED',
    );
  });

  it('2001.00: 502 SYSTEM_ERROR and nothing recorded', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ amount: '2001.00' }));
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR' });
    expect(t.emulator.state.payments.transactions.size).toBe(0);
  });

  it('applies the amount triggers in any currency (2102 JPY)', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ amount: '2102', currency: 'JPY' }));
    expect(r.body.errorInformation.reason).toBe('INSUFFICIENT_FUND');
  });

  it('applies triggers to transient-token payments', async () => {
    const jwt = await mintToken(t.emulator);
    const r = await t.post('/pts/v2/payments', tokenPayment(jwt, { amount: '2102.00' }));
    expect(r.body.errorInformation.reason).toBe('INSUFFICIENT_FUND');
  });

  it('a declined payment cannot be captured, refunded or reversed', async () => {
    const { body } = await t.post('/pts/v2/payments', cardPayment({ amount: '2100.00' }));
    const amount = {
      orderInformation: { amountDetails: { totalAmount: '2100.00', currency: 'USD' } },
    };
    const cap = await t.post(`/pts/v2/payments/${body.id}/captures`, amount);
    expect(cap.body.reason).toBe('MISSING_AUTH');
    const ref = await t.post(`/pts/v2/payments/${body.id}/refunds`, amount);
    expect(ref.body).toMatchObject({
      reason: 'INVALID_DATA',
      message: 'Declined - One or more fields in the request contains invalid data',
    });
    const rev = await t.post(`/pts/v2/payments/${body.id}/reversals`, {
      reversalInformation: { amountDetails: { totalAmount: '2100.00' } },
    });
    expect(rev.body).toMatchObject({
      reason: 'MISSING_FIELD',
      message: 'Declined - The request is missing one or more fields',
    });
  });
});
