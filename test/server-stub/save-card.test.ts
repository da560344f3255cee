/**
 * Keeping a new card with TOKEN_CREATE (API-FACTS §2.3): the default flag the stub sends, what
 * the emulator does with it, the duplicate of a card already kept, and a TOKEN_CREATE answer
 * that names no customer for a card added to an existing one; a card TMS has closed; and what a
 * payment with a kept card sends (a use of the stored credential, for the whole amount).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newCardPayment } from '../../server-stub/checkout/payment-requests.ts';
import {
  type Harness,
  MASTERCARD,
  type Rewrite,
  recordingHarness,
  Shopper,
  upstreamCalls,
  VISA,
} from './harness.ts';

let h: Harness;
let sales: Record<string, any>[];
let rewrite: Rewrite;
/** Drop every customer id from the next payment answers, as a real answer may (save-card.ts). */
const withoutCustomer = (body: Record<string, any>) => {
  delete body.tokenInformation?.customer;
  delete body.paymentInformation?.customer;
};
beforeAll(async () => {
  ({ h, sales, rewrite } = await recordingHarness());
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.state.reset();
  sales.length = 0;
  rewrite.approval = undefined;
});

const methods = async (s: Shopper) =>
  (await s.request('GET', '/api/payment-methods')).body.paymentMethods as {
    id: string;
    last4: string;
    default: boolean;
  }[];

/** A shopper who paid with a Visa and kept it; its id is TMS's payment instrument id. */
async function keptCard() {
  const s = new Shopper(h);
  const first = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
  expect(first.status).toBe(201);
  return { s, paymentMethodId: String(first.body.paymentMethodId) };
}

describe('the TOKEN_CREATE request', () => {
  const common = {
    code: 'pay_1',
    transactionId: 'tx_1',
    amount: 2500,
    currency: 'USD' as const,
  };
  const keep = { recurring: false, brand: 'visa' };

  // NODE Ptsv2paymentsTokenInformationPaymentInstrument.md: `default` is false unless sent.
  it('asks for the new card to be the default when it joins an existing customer', () => {
    const r = newCardPayment(common, 'jwt', { ...keep, customerId: 'C'.repeat(32) });
    expect(r.tokenInformation).toEqual({
      transientTokenJwt: 'jwt',
      paymentInstrument: { default: true },
    });
    expect(r.paymentInformation).toEqual({ customer: { id: 'C'.repeat(32) } });
    expect(r.processingInformation?.actionTokenTypes).toEqual([
      'paymentInstrument',
      'instrumentIdentifier',
    ]);
  });

  it('sends no default flag for a first save (a new customer’s first card is its default) or a guest', () => {
    const first = newCardPayment(common, 'jwt', { ...keep, customerId: undefined });
    expect(first.tokenInformation).toEqual({ transientTokenJwt: 'jwt' });
    expect(newCardPayment(common, 'jwt', undefined).tokenInformation).toEqual({
      transientTokenJwt: 'jwt',
    });
  });
});

describe('keeping cards', () => {
  it('makes the card a returning shopper saves their default, and says so on the wire', async () => {
    const s = new Shopper(h);
    expect((await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true })).status).toBe(201);
    expect(
      (await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD)).status,
    ).toBe(201);
    expect(sales[0]?.tokenInformation?.paymentInstrument).toBeUndefined();
    expect(sales[1]?.tokenInformation?.paymentInstrument).toEqual({ default: true });
    const list = await methods(s);
    expect(list.map((m) => [m.last4, m.default])).toEqual([
      ['4444', true],
      ['1111', false],
    ]);
  });

  it('keeps the first copy of a card saved again, as the default the shopper just chose', async () => {
    const s = new Shopper(h);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const [visa] = await methods(s);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
    const again = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, VISA);
    expect(again.status).toBe(201);
    const list = await methods(s);
    expect(list.map((m) => [m.id, m.last4, m.default])).toEqual([
      [visa?.id, '1111', true],
      [expect.any(String), '4444', false],
    ]);
    const deletes = (await upstreamCalls(h)).filter((c) => c.method === 'DELETE');
    expect(deletes.map((d) => d.status)).toEqual([204]);
  });

  it('keeps a card added to an existing customer when the answer names no customer', async () => {
    const s = new Shopper(h);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    rewrite.approval = withoutCustomer;
    const second = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
    expect(second.status).toBe(201);
    expect((await methods(s)).map((m) => m.last4).sort()).toEqual(['1111', '4444']);
    expect(h.logs.text).not.toContain('TOKEN_CREATE answer lacks token ids');
  });

  it('lists no card TMS has closed', async () => {
    const { s, paymentMethodId } = await keptCard();
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
    const closed = h.emulator.state.tms.paymentInstruments.get(paymentMethodId);
    if (!closed) throw new Error('card not kept at TMS');
    closed.state = 'CLOSED';
    expect((await methods(s)).map((m) => m.last4)).toEqual(['4444']);
  });
});

describe('paying with a kept card', () => {
  it('pays customer-initiated with the stored credential, for the whole amount', async () => {
    const { s, paymentMethodId } = await keptCard();
    const paid = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId,
      item: { id: 'tshirt' },
    });
    expect(paid.status).toBe(201);
    const { authorizationOptions } = sales.at(-1)?.processingInformation ?? {};
    // A use of the credential stored earlier, not a new one being stored.
    expect(authorizationOptions).toEqual({
      partialAuthIndicator: false,
      initiator: { type: 'customer', storedCredentialUsed: true },
    });
  });

  it('declines a payment the issuer would approve only in part', async () => {
    // 2300.00: the emulator's partial approval, unless the request turns partials off.
    const { s, paymentMethodId } = await keptCard();
    const r = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId,
      item: { id: 'donation', amount: 230_000 },
    });
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ code: 'card_declined', reason: 'INSUFFICIENT_FUND' });
  });
});
