import { beforeEach, describe, expect, it } from 'vitest';
import {
  CaptureResponse,
  RefundResponse,
  ReversalResponse,
  VoidResponse,
} from '../../../cybersource/payments/index.ts';
import { amount, cardPayment, setup } from './setup.ts';

const t = setup();

async function authorize(total = '100.00', capture = false): Promise<string> {
  const r = await t.post('/pts/v2/payments', cardPayment({ amount: total, capture }));
  expect(r.status).toBe(201);
  return r.body.id;
}

const reversalBody = (total: string) => ({
  clientReferenceInformation: { code: 'rev' },
  reversalInformation: { reason: 'testing', amountDetails: { totalAmount: total } },
});

describe('captures', () => {
  beforeEach(() => t.reset());

  it('captures with PENDING, void and self links (no refund link, as the real transcript)', async () => {
    const id = await authorize();
    const r = await t.post(`/pts/v2/payments/${id}/captures`, amount('100.00'));
    expect(r.status).toBe(201);
    const body = CaptureResponse.parse(r.body);
    expect(body.status).toBe('PENDING');
    expect(body.id).toMatch(/^\d{22}$/);
    expect(r.body._links).toEqual({
      void: { method: 'POST', href: `/pts/v2/captures/${body.id}/voids` },
      self: { method: 'GET', href: `/pts/v2/captures/${body.id}` },
    });
    expect(r.body.orderInformation.amountDetails).toEqual({
      totalAmount: '100.00',
      currency: 'USD',
    });
  });

  it('refuses a capture above the authorized amount (EXCEEDS_AUTH_AMOUNT, "exceeds")', async () => {
    const id = await authorize();
    const r = await t.post(`/pts/v2/payments/${id}/captures`, amount('100.01'));
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('EXCEEDS_AUTH_AMOUNT');
    expect(r.body.message).toMatch(/exceeds/);
  });

  it('allows partial captures up to the authorized total, then refuses', async () => {
    const id = await authorize();
    expect((await t.post(`/pts/v2/payments/${id}/captures`, amount('60.00'))).status).toBe(201);
    expect((await t.post(`/pts/v2/payments/${id}/captures`, amount('40.00'))).status).toBe(201);
    expect((await t.post(`/pts/v2/payments/${id}/captures`, amount('0.01'))).body.reason).toBe(
      'EXCEEDS_AUTH_AMOUNT',
    );
  });

  it('refuses a capture in another currency', async () => {
    const id = await authorize();
    const r = await t.post(`/pts/v2/payments/${id}/captures`, amount('10.00', 'EUR'));
    expect(r.body.details).toEqual([
      { field: 'orderInformation.amountDetails.currency', reason: 'INVALID_DATA' },
    ]);
  });

  it('refuses capturing a reversed authorization (AUTH_ALREADY_REVERSED)', async () => {
    const id = await authorize();
    expect((await t.post(`/pts/v2/payments/${id}/reversals`, reversalBody('100.00'))).status).toBe(
      201,
    );
    const r = await t.post(`/pts/v2/payments/${id}/captures`, amount('100.00'));
    expect(r.body.reason).toBe('AUTH_ALREADY_REVERSED');
  });

  it('refuses capturing a sale that captured itself', async () => {
    const id = await authorize('100.00', true);
    const r = await t.post(`/pts/v2/payments/${id}/captures`, amount('1.00'));
    expect(r.status).toBe(400);
  });

  it.each([
    ['/pts/v2/payments/0000000000000000000000/captures'],
    ['/pts/v2/payments/not-an-id/refunds'],
    ['/pts/v2/captures/0000000000000000000000/refunds'],
  ])('answers 404 for an unknown id: %s', async (path) => {
    const r = await t.post(path, amount('1.00'));
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ status: 'NOT_FOUND' });
  });

  it('hides another merchant’s payment behind 404', async () => {
    const id = await authorize();
    const other = {
      merchantId: 'other',
      keyId: 'k2',
      secretBase64: Buffer.from('s'.repeat(32)).toString('base64'),
    };
    t.emulator.config.keys.push(other);
    const r = await t.call(`/pts/v2/payments/${id}/captures`, { body: amount('1.00'), key: other });
    expect(r.status).toBe(404);
    t.emulator.config.keys.pop();
  });
});

describe('refunds', () => {
  beforeEach(() => t.reset());

  it('refunds a sale with PENDING, its own id and void link', async () => {
    const id = await authorize('100.00', true);
    const r = await t.post(`/pts/v2/payments/${id}/refunds`, amount('30.00'));
    expect(r.status).toBe(201);
    const body = RefundResponse.parse(r.body);
    expect(body.status).toBe('PENDING');
    expect(body.refundAmountDetails).toEqual({ refundAmount: '30.00', currency: 'USD' });
    // The real answer's, not in the 2020 spec (API-FACTS §2.6; test/spec allows it).
    expect(r.body.orderInformation).toEqual({ amountDetails: { currency: 'USD' } });
    expect(r.body._links.void).toEqual({
      method: 'POST',
      href: `/pts/v2/refunds/${body.id}/voids`,
    });
  });

  it('refuses refunds beyond captured − refunded across partial refunds of the payment and its captures', async () => {
    const id = await authorize('100.00');
    const cap = (await t.post(`/pts/v2/payments/${id}/captures`, amount('80.00'))).body.id;
    expect((await t.post(`/pts/v2/payments/${id}/refunds`, amount('50.00'))).status).toBe(201);
    expect((await t.post(`/pts/v2/captures/${cap}/refunds`, amount('30.00'))).status).toBe(201);
    const over = await t.post(`/pts/v2/captures/${cap}/refunds`, amount('0.01'));
    expect(over.status).toBe(400);
    expect(over.body.reason).toBe('INVALID_AMOUNT');
    expect(over.body.message).toMatch(/exceeds/);
  });

  it('refuses a capture refund above what that capture has left, though the payment has more', async () => {
    const id = await authorize('100.00');
    const small = (await t.post(`/pts/v2/payments/${id}/captures`, amount('30.00'))).body.id;
    expect((await t.post(`/pts/v2/payments/${id}/captures`, amount('70.00'))).status).toBe(201);
    const over = await t.post(`/pts/v2/captures/${small}/refunds`, amount('50.00'));
    expect(over.status).toBe(400);
    expect(over.body.reason).toBe('INVALID_AMOUNT');
    expect((await t.post(`/pts/v2/captures/${small}/refunds`, amount('30.00'))).status).toBe(201);
  });

  it('refuses refunding an authorization that was never captured', async () => {
    const id = await authorize('100.00');
    expect((await t.post(`/pts/v2/payments/${id}/refunds`, amount('1.00'))).body.reason).toBe(
      'INVALID_AMOUNT',
    );
  });

  it('refuses a refund in another currency', async () => {
    const id = await authorize('100.00', true);
    const r = await t.post(`/pts/v2/payments/${id}/refunds`, amount('1.00', 'CAD'));
    expect(r.body.details[0].field).toBe('orderInformation.amountDetails.currency');
  });

  it('refuses refunding a voided sale (CAPTURE_ALREADY_VOIDED)', async () => {
    const id = await authorize('100.00', true);
    const v = await t.post(`/pts/v2/payments/${id}/voids`, {});
    expect(v.status).toBe(201);
    const r = await t.post(`/pts/v2/payments/${id}/refunds`, amount('1.00'));
    expect(r.body.reason).toBe('CAPTURE_ALREADY_VOIDED');
  });
});

describe('reversals and voids', () => {
  beforeEach(() => t.reset());

  it('reverses an authorization with REVERSED and amount details', async () => {
    const id = await authorize('100.00');
    const r = await t.post(`/pts/v2/payments/${id}/reversals`, reversalBody('100.00'));
    expect(r.status).toBe(201);
    const body = ReversalResponse.parse(r.body);
    expect(body.reversalAmountDetails).toEqual({
      reversedAmount: '100.00',
      originalTransactionAmount: '100.00',
      currency: 'USD',
    });
    // developer.cybersource.com's reversal answer carries it (test/spec allows it).
    expect(r.body.orderInformation).toEqual({ amountDetails: { currency: 'USD' } });
    const again = await t.post(`/pts/v2/payments/${id}/reversals`, reversalBody('100.00'));
    expect(again.body.reason).toBe('AUTH_ALREADY_REVERSED');
  });

  it.each([['a partial amount', '50.00', 'INVALID_DATA']])(
    'refuses reversing %s',
    async (_, total, reason) => {
      const id = await authorize('100.00');
      expect(
        (await t.post(`/pts/v2/payments/${id}/reversals`, reversalBody(total))).body.reason,
      ).toBe(reason);
    },
  );

  it('refuses reversing a captured authorization', async () => {
    const id = await authorize('100.00');
    await t.post(`/pts/v2/payments/${id}/captures`, amount('100.00'));
    const r = await t.post(`/pts/v2/payments/${id}/reversals`, reversalBody('100.00'));
    expect(r.body.reason).toBe('TRANSACTION_ALREADY_REVERSED_OR_SETTLED');
  });

  it('voids a sale before settlement and reads VOIDED afterwards', async () => {
    const id = await authorize('100.00', true);
    const r = await t.post(`/pts/v2/payments/${id}/voids`, {
      clientReferenceInformation: { code: 'v' },
    });
    expect(r.status).toBe(201);
    const body = VoidResponse.parse(r.body);
    expect(body.voidAmountDetails).toMatchObject({ voidAmount: '100.00', currency: 'USD' });
    expect(r.body._links).toEqual({ self: { method: 'GET', href: `/pts/v2/voids/${body.id}` } });
    expect((await t.call(`/pts/v2/payments/${id}`)).body.status).toBe('VOIDED');
    expect((await t.post(`/pts/v2/payments/${id}/voids`, {})).body.reason).toBe('NOT_VOIDABLE');
  });

  it('refuses voiding a sale with a live refund (void the refund first), then voids it', async () => {
    const id = await authorize('100.00', true);
    const ref = (await t.post(`/pts/v2/payments/${id}/refunds`, amount('10.00'))).body.id;
    expect((await t.post(`/pts/v2/payments/${id}/voids`, {})).body.reason).toBe('NOT_VOIDABLE');
    expect((await t.post(`/pts/v2/refunds/${ref}/voids`, {})).status).toBe(201);
    expect((await t.post(`/pts/v2/payments/${id}/voids`, {})).status).toBe(201);
  });

  it('refuses voiding after the 00:00 UTC batch has settled the sale', async () => {
    const id = await authorize('100.00', true);
    t.advance(12 * 3600_000);
    const r = await t.post(`/pts/v2/payments/${id}/voids`, {});
    expect(r.body.reason).toBe('NOT_VOIDABLE');
  });

  it('refuses voiding an authorization (reverse it instead) and a void without a body', async () => {
    const id = await authorize('100.00');
    expect((await t.post(`/pts/v2/payments/${id}/voids`, {})).body.reason).toBe('NOT_VOIDABLE');
    const sale = await authorize('5.00', true);
    const r = await t.call(`/pts/v2/payments/${sale}/voids`, { method: 'POST', rawBody: '' });
    expect(r.status).toBe(400);
  });

  it('voids a capture and a refund, giving their amounts back', async () => {
    const id = await authorize('100.00');
    const cap = (await t.post(`/pts/v2/payments/${id}/captures`, amount('100.00'))).body.id;
    const ref = (await t.post(`/pts/v2/captures/${cap}/refunds`, amount('100.00'))).body.id;
    expect((await t.post(`/pts/v2/captures/${cap}/voids`, {})).body.reason).toBe('NOT_VOIDABLE');
    expect((await t.post(`/pts/v2/refunds/${ref}/voids`, {})).status).toBe(201);
    expect((await t.post(`/pts/v2/captures/${cap}/refunds`, amount('100.00'))).status).toBe(201);
    const sale = await authorize('10.00');
    const cap2 = (await t.post(`/pts/v2/payments/${sale}/captures`, amount('10.00'))).body.id;
    expect((await t.post(`/pts/v2/captures/${cap2}/voids`, {})).status).toBe(201);
    expect((await t.post(`/pts/v2/payments/${sale}/refunds`, amount('0.01'))).body.reason).toBe(
      'INVALID_AMOUNT',
    );
  });

  it('answers 404 for a credit void (credits are not emulated)', async () => {
    expect((await t.post('/pts/v2/credits/0000000000000000000000/voids', {})).status).toBe(404);
  });
});
