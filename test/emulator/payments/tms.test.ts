import { beforeEach, describe, expect, it } from 'vitest';
import { amount, cardPayment, mintToken, setup, tokenPayment } from './setup.ts';

const t = setup();

const tokenCreate = (types: string[]) => ({
  processingInformation: { capture: true, actionList: ['TOKEN_CREATE'], actionTokenTypes: types },
});

describe('TOKEN_CREATE and paying with TMS tokens (API-FACTS §2.2, §2.3)', () => {
  beforeEach(() => t.reset());

  it('creates customer, payment instrument and instrument identifier from a transient token', async () => {
    const jwt = await mintToken(t.emulator);
    const r = await t.post(
      '/pts/v2/payments',
      tokenPayment(jwt, {
        extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      }),
    );
    expect(r.status).toBe(201);
    const ti = r.body.tokenInformation;
    expect(ti.instrumentidentifierNew).toBe(true);
    expect(ti.customer.id).toMatch(/^[0-9A-F]{32}$/);
    expect(ti.paymentInstrument.id).toMatch(/^[0-9A-F]{32}$/);
    expect(ti.instrumentIdentifier).toEqual({
      id: expect.stringMatching(/^\d{19}$/),
      state: 'ACTIVE',
    });
    expect(r.body.paymentInformation.customer).toEqual({ id: ti.customer.id });
    const customer = t.emulator.state.tms.customers.get(ti.customer.id);
    expect(customer?.defaultPaymentInstrumentId).toBe(ti.paymentInstrument.id);
  });

  it('gives the same instrument identifier for the same card twice (instrumentidentifierNew false)', async () => {
    const body = cardPayment({
      capture: true,
      extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
    });
    const first = await t.post('/pts/v2/payments', body);
    const second = await t.post('/pts/v2/payments', body);
    expect(second.body.tokenInformation.instrumentidentifierNew).toBe(false);
    expect(second.body.tokenInformation.instrumentIdentifier.id).toBe(
      first.body.tokenInformation.instrumentIdentifier.id,
    );
  });

  describe('a card added to an existing customer', () => {
    let customerId: string;
    let firstPi: string;
    beforeEach(async () => {
      const first = await t.post(
        '/pts/v2/payments',
        cardPayment({
          capture: true,
          extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
        }),
      );
      customerId = first.body.tokenInformation.customer.id;
      firstPi = first.body.tokenInformation.paymentInstrument.id;
    });

    const addCard = (tokenInformation?: Record<string, unknown>) => {
      const body = cardPayment({
        number: '5555555555554444',
        capture: true,
        extra: {
          ...tokenCreate(['paymentInstrument', 'instrumentIdentifier']),
          ...(tokenInformation ? { tokenInformation } : {}),
        },
      });
      (body.paymentInformation as any).customer = { id: customerId };
      return t.post('/pts/v2/payments', body);
    };
    const defaultOf = () =>
      t.emulator.state.tms.customers.get(customerId)?.defaultPaymentInstrumentId;

    // NODE Ptsv2paymentsTokenInformationPaymentInstrument.md: `default` "default to false"
    it('leaves the default where it was when tokenInformation.paymentInstrument.default is absent', async () => {
      const r = await addCard();
      expect(r.status).toBe(201);
      expect(r.body.tokenInformation.paymentInstrument.id).not.toBe(firstPi);
      expect(defaultOf()).toBe(firstPi);
    });

    it('leaves the default where it was with default: false', async () => {
      await addCard({ paymentInstrument: { default: false } });
      expect(defaultOf()).toBe(firstPi);
    });

    // SAMPLES authorization-with-customer-token-default-payment-instrument-and-shipping-address-creation.js
    it('makes the new instrument the default with default: true', async () => {
      const r = await addCard({ paymentInstrument: { default: true } });
      expect(defaultOf()).toBe(r.body.tokenInformation.paymentInstrument.id);
    });

    it('names in tokenInformation only the tokens it created, not the customer it was given', async () => {
      const r = await addCard();
      expect(r.body.tokenInformation.customer).toBeUndefined();
      expect(r.body.tokenInformation.paymentInstrument.id).toMatch(/^[0-9A-F]{32}$/);
      expect(r.body.paymentInformation.customer).toEqual({ id: customerId });
    });
  });

  it('creates no tokens for a declined payment', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({
        amount: '2102.00',
        extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      }),
    );
    expect(r.body.status).toBe('DECLINED');
    expect(r.body.tokenInformation).toBeUndefined();
    expect(t.emulator.state.tms.customers.size).toBe(0);
  });

  it.each([
    [
      'TOKEN_CREATE without actionTokenTypes',
      { processingInformation: { actionList: ['TOKEN_CREATE'] } },
      'MISSING_FIELD',
    ],
    [
      'actionTokenTypes without TOKEN_CREATE',
      { processingInformation: { actionTokenTypes: ['customer'] } },
      'MISSING_FIELD',
    ],
  ])('refuses %s', async (_, extra, reason) => {
    const r = await t.post('/pts/v2/payments', cardPayment({ extra }));
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe(reason);
  });

  describe('paying with stored tokens', () => {
    let ids: { customer: string; pi: string; ii: string };
    beforeEach(async () => {
      const r = await t.post(
        '/pts/v2/payments',
        cardPayment({
          capture: true,
          extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
        }),
      );
      const ti = r.body.tokenInformation;
      ids = {
        customer: ti.customer.id,
        pi: ti.paymentInstrument.id,
        ii: ti.instrumentIdentifier.id,
      };
    });

    it('pays with a customer id (its default instrument) and echoes the ids', async () => {
      const r = await t.post('/pts/v2/payments', {
        paymentInformation: { customer: { id: ids.customer } },
        ...amount('12.00'),
      });
      expect(r.body.status).toBe('AUTHORIZED');
      expect(r.body.paymentInformation).toMatchObject({
        customer: { id: ids.customer },
        paymentInstrument: { id: ids.pi },
        instrumentIdentifier: { id: ids.ii, state: 'ACTIVE' },
        card: { type: '001' },
      });
      expect(r.body.processorInformation.paymentAccountReferenceNumber).toBeDefined();
    });

    it('pays with customer and an explicit payment instrument', async () => {
      const r = await t.post('/pts/v2/payments', {
        paymentInformation: { customer: { id: ids.customer }, paymentInstrument: { id: ids.pi } },
        ...amount('12.00'),
      });
      expect(r.body.paymentInformation.paymentInstrument).toEqual({ id: ids.pi });
    });

    it("pays with an instrument identifier, with the expiry or alone (the TMS guide's example), not with half an expiry", async () => {
      const ok = await t.post('/pts/v2/payments', {
        paymentInformation: {
          instrumentIdentifier: { id: ids.ii },
          card: { expirationMonth: '12', expirationYear: '2031' },
        },
        ...amount('12.00'),
      });
      expect(ok.body.status).toBe('AUTHORIZED');
      // The identifier stores no expiry; the TMS guide's REST example sends the id alone.
      const alone = await t.post('/pts/v2/payments', {
        paymentInformation: { instrumentIdentifier: { id: ids.ii } },
        ...amount('10.00'),
      });
      expect(alone.status).toBe(201);
      expect(alone.body.status).toBe('AUTHORIZED');
      expect(alone.body.paymentInformation.instrumentIdentifier).toEqual({
        id: ids.ii,
        state: 'ACTIVE',
      });
      const details = await t.call(`/tss/v2/transactions/${alone.body.id}`);
      expect(details.body.paymentInformation.card).not.toHaveProperty('expirationMonth');
      // A month without its year is a mistake, not "no expiry".
      const half = await t.post('/pts/v2/payments', {
        paymentInformation: {
          instrumentIdentifier: { id: ids.ii },
          card: { expirationMonth: '12' },
        },
        ...amount('12.00'),
      });
      expect(half.body.details).toEqual([
        { field: 'paymentInformation.card.expirationYear', reason: 'MISSING_FIELD' },
      ]);
      // An expiry sent with it still counts: a past one is an expired card.
      const expired = await t.post('/pts/v2/payments', {
        paymentInformation: {
          instrumentIdentifier: { id: ids.ii },
          card: { expirationMonth: '01', expirationYear: '2020' },
        },
        ...amount('12.00'),
      });
      expect(expired.body.errorInformation.reason).toBe('EXPIRED_CARD');
    });

    it("vaults around an instrument identifier while paying with it, as the payments guide's example does", async () => {
      const address = {
        firstName: 'John',
        lastName: 'Doe',
        address1: '1 Market St',
        locality: 'san francisco',
        administrativeArea: 'CA',
        postalCode: '94105',
        country: 'US',
      };
      const r = await t.post('/pts/v2/payments', {
        processingInformation: {
          actionList: ['TOKEN_CREATE'],
          actionTokenTypes: ['customer', 'paymentInstrument', 'shippingAddress'],
        },
        paymentInformation: { instrumentIdentifier: { id: ids.ii } },
        orderInformation: {
          ...amount('102.21').orderInformation,
          billTo: { ...address, email: 'test@cybs.com', phoneNumber: '4158880000' },
          shipTo: address,
        },
      });
      expect(r.status).toBe(201);
      expect(r.body.status).toBe('AUTHORIZED');
      const tokens = r.body.tokenInformation;
      expect(tokens).toMatchObject({
        instrumentidentifierNew: false,
        instrumentIdentifier: { id: ids.ii },
        customer: { id: expect.any(String) },
        paymentInstrument: { id: expect.any(String) },
        shippingAddress: { id: expect.any(String) },
      });
      // The new instrument is the identifier's card, in the new customer.
      const pi = t.emulator.state.tms.paymentInstruments.get(tokens.paymentInstrument.id);
      expect(pi).toMatchObject({
        instrumentIdentifierId: ids.ii,
        customerId: tokens.customer.id,
      });
      // A stored payment instrument is not a card to vault.
      const refused = await t.post('/pts/v2/payments', {
        processingInformation: {
          actionList: ['TOKEN_CREATE'],
          actionTokenTypes: ['customer', 'paymentInstrument'],
        },
        paymentInformation: { paymentInstrument: { id: ids.pi } },
        ...amount('12.00'),
      });
      expect(refused.body.details).toEqual([
        { field: 'processingInformation.actionList', reason: 'INVALID_DATA' },
      ]);
    });

    it('applies the trigger table to TMS payments', async () => {
      const r = await t.post('/pts/v2/payments', {
        paymentInformation: { customer: { id: ids.customer } },
        ...amount('2103.00'),
      });
      expect(r.body.errorInformation.reason).toBe('EXPIRED_CARD');
    });

    it.each([
      ['customer', { customer: { id: 'F'.repeat(32) } }, 'paymentInformation.customer.id'],
      [
        'payment instrument',
        { paymentInstrument: { id: 'F'.repeat(32) } },
        'paymentInformation.paymentInstrument.id',
      ],
      [
        'instrument identifier',
        {
          instrumentIdentifier: { id: '7010000000000000000' },
          card: { expirationMonth: '12', expirationYear: '2031' },
        },
        'paymentInformation.instrumentIdentifier.id',
      ],
    ])('refuses an unknown %s with INVALID_DATA', async (_, paymentInformation, field) => {
      const r = await t.post('/pts/v2/payments', { paymentInformation, ...amount('1.00') });
      expect(r.status).toBe(400);
      expect(r.body.details).toEqual([{ field, reason: 'INVALID_DATA' }]);
    });

    it('refuses a card number together with a customer id', async () => {
      const body = cardPayment();
      (body.paymentInformation as any).customer = { id: ids.customer };
      expect((await t.post('/pts/v2/payments', body)).status).toBe(400);
    });
  });
});
