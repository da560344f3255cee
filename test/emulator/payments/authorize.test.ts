import { beforeEach, describe, expect, it } from 'vitest';
import { PaymentResponse } from '../../../cybersource/payments/index.ts';
import { cardPayment, setup } from './setup.ts';

const t = setup();

describe('POST /pts/v2/payments: approvals', () => {
  beforeEach(() => t.reset());

  it('answers an authorization like the real sandbox transcript (API-FACTS §2.6)', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment());
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/hal+json');
    const body = PaymentResponse.parse(r.body);
    expect(body.status).toBe('AUTHORIZED');
    expect(body.id).toMatch(/^\d{22}$/);
    expect(body.reconciliationId).toMatch(/^[A-Z0-9]{16}$/);
    expect(body.submitTimeUtc).toBe('2026-03-10T12:00:00Z');
    expect(r.body._links).toEqual({
      authReversal: { method: 'POST', href: `/pts/v2/payments/${body.id}/reversals` },
      self: { method: 'GET', href: `/pts/v2/payments/${body.id}` },
      capture: { method: 'POST', href: `/pts/v2/payments/${body.id}/captures` },
    });
    expect(r.body.orderInformation.amountDetails).toEqual({
      authorizedAmount: '102.21',
      currency: 'USD',
    });
    expect(r.body.paymentInformation.card).toEqual({ type: '001' });
    expect(r.body.paymentAccountInformation).toEqual({ card: { type: '001' } });
    const p = r.body.processorInformation;
    expect(p.responseCode).toBe('100');
    expect(p.approvalCode).toMatch(/^\d{6}$/);
    expect(p.networkTransactionId).toMatch(/^\d{15}$/);
    expect(p.transactionId).toBe(p.networkTransactionId);
    expect(p.avs).toEqual({ code: 'X', codeRaw: 'I1' });
    expect(r.body.clientReferenceInformation).toEqual({ code: 'order-1' });
  });

  it('answers a sale with void and self links and no capture link', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment({ capture: true }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED');
    expect(Object.keys(r.body._links).sort()).toEqual(['self', 'void']);
    expect(r.body._links.void).toEqual({
      method: 'POST',
      href: `/pts/v2/payments/${r.body.id}/voids`,
    });
    expect(r.body.orderInformation.amountDetails).toEqual({
      totalAmount: '102.21',
      authorizedAmount: '102.21',
      currency: 'USD',
    });
  });

  it.each([
    ['JPY', '500', '500'],
    ['KWD', '1.5', '1.500'],
    ['usd', '10', '10.00'],
  ])('formats %s amounts with the currency decimals', async (currency, total, expected) => {
    const r = await t.post('/pts/v2/payments', cardPayment({ currency, amount: total }));
    expect(r.status).toBe(201);
    expect(r.body.orderInformation.amountDetails.authorizedAmount).toBe(expected);
    expect(r.body.orderInformation.amountDetails.currency).toBe(currency.toUpperCase());
  });

  it.each([
    ['5555555555554444', '002'],
    ['378282246310005', '003'],
    ['6011111111111117', '004'],
    ['3566111111111113', '007'],
  ])('detects the card type of %s', async (number, type) => {
    const r = await t.post('/pts/v2/payments', cardPayment({ number }));
    expect(r.body.status).toBe('AUTHORIZED');
    expect(r.body.paymentInformation.card.type).toBe(type);
  });

  it('accepts the trailing-slash path and the SDK partner developerId', async () => {
    const body = cardPayment();
    body.clientReferenceInformation = { code: 'x', partner: { developerId: '999' } };
    const r = await t.post('/pts/v2/payments/', body);
    expect(r.status).toBe(201);
  });

  it('refuses a reused clientReferenceInformation.transactionId with DUPLICATE_REQUEST and records nothing', async () => {
    expect((await t.post('/pts/v2/payments', cardPayment({ transactionId: 'tx-1' }))).status).toBe(
      201,
    );
    const again = await t.post('/pts/v2/payments', cardPayment({ transactionId: 'tx-1' }));
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ status: 'INVALID_REQUEST', reason: 'DUPLICATE_REQUEST' });
    expect(t.emulator.state.payments.transactions.size).toBe(1);
  });

  it('answers 401 before looking at the body when unsigned', async () => {
    const r = await t.call('/pts/v2/payments', { body: cardPayment(), auth: 'none' });
    expect(r.status).toBe(401);
  });
});
