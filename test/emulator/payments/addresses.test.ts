/**
 * `orderInformation.billTo` / `shipTo` are strict and checked (API-FACTS §2.7, §6): TOKEN_CREATE
 * vaults the TMS fields of billTo, so nothing unchecked may reach a TMS payment instrument. Also the
 * TOKEN_CREATE / stored-token edge cases around customers (API-FACTS §2.3).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { amount, cardPayment, SAMPLE_BILL_TO, setup } from './setup.ts';

const t = setup();

const BILL_TO = SAMPLE_BILL_TO;

const withAddresses = (addresses: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  cardPayment({
    extra: {
      ...extra,
      orderInformation: {
        amountDetails: { totalAmount: '102.21', currency: 'USD' },
        ...addresses,
      },
    },
  });

const tokenCreate = (types: string[]) => ({
  processingInformation: { capture: true, actionList: ['TOKEN_CREATE'], actionTokenTypes: types },
});

const INVALID = 'Declined - One or more fields in the request contains invalid data';

describe('an account without relaxed requirements for address data', () => {
  const strict = setup({ relaxedAddress: false });
  beforeEach(() => strict.reset());
  const fields = (r: { body: { details?: { field: string }[] } }) =>
    (r.body.details ?? []).map((d) => d.field.replace('orderInformation.billTo.', ''));

  it('refuses a card payment without the standard billTo fields, naming each', async () => {
    const none = await strict.post('/pts/v2/payments', withAddresses({}));
    expect([none.status, none.body.status, none.body.reason]).toEqual([
      400,
      'INVALID_REQUEST',
      'MISSING_FIELD',
    ]);
    expect(fields(none)).toEqual([
      'firstName',
      'lastName',
      'address1',
      'locality',
      'country',
      'email',
    ]);
    // A US (or Canadian) address needs its state and postal code too.
    const { administrativeArea: _a, postalCode: _p, ...noState } = BILL_TO;
    const us = await strict.post('/pts/v2/payments', withAddresses({ billTo: noState }));
    expect(fields(us)).toEqual(['administrativeArea', 'postalCode']);
    const gb = { ...noState, country: 'GB' };
    expect((await strict.post('/pts/v2/payments', withAddresses({ billTo: gb }))).status).toBe(201);
    const full = await strict.post('/pts/v2/payments', withAddresses({ billTo: BILL_TO }));
    expect(full.status).toBe(201);
  });

  it('takes a saved payment instrument without one (vaulted with it), not an instrument identifier', async () => {
    const kept = await strict.post(
      '/pts/v2/payments',
      withAddresses(
        { billTo: BILL_TO },
        tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      ),
    );
    expect(kept.status).toBe(201);
    const { customer, instrumentIdentifier } = kept.body.tokenInformation;
    const amountOnly = { amountDetails: { totalAmount: '5.00', currency: 'USD' } };
    const saved = await strict.post('/pts/v2/payments', {
      paymentInformation: { customer: { id: customer.id } },
      orderInformation: amountOnly,
    });
    expect(saved.status).toBe(201);
    const bare = await strict.post('/pts/v2/payments', {
      paymentInformation: {
        instrumentIdentifier: { id: instrumentIdentifier.id },
        card: { expirationMonth: '12', expirationYear: '2031' },
      },
      orderInformation: amountOnly,
    });
    expect([bare.status, bare.body.reason]).toEqual([400, 'MISSING_FIELD']);
  });

  it('is off by default: the sample merchant pays a card without an address', async () => {
    expect((await t.post('/pts/v2/payments', withAddresses({}))).status).toBe(201);
  });
});

describe('billTo and shipTo (API-FACTS §2.7, §6)', () => {
  beforeEach(() => t.reset());

  it('accepts the official sample billTo and a shipTo of the same address', async () => {
    const r = await t.post('/pts/v2/payments', withAddresses({ billTo: BILL_TO, shipTo: BILL_TO }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED');
  });

  it('accepts the shipTo fields the Payments model documents, as the official Decision Manager shipping sample sends them', async () => {
    const shipTo = {
      ...BILL_TO,
      phoneNumber: '650-965-6000',
      email: 'ship@example.com',
      title: 'Dr',
      middleName: 'Q',
      county: 'Santa Clara',
      district: 'Downtown',
      buildingNumber: '187',
      destinationTypes: 'Residential',
      destinationCode: 3,
      method: 'sameday',
    };
    const r = await t.post('/pts/v2/payments', withAddresses({ billTo: BILL_TO, shipTo }));
    expect(r.status).toBe(201);
    const bad = await t.post(
      '/pts/v2/payments',
      withAddresses({ shipTo: { ...shipTo, method: 'rocket' } }),
    );
    expect(bad.body.details).toEqual([
      { field: 'orderInformation.shipTo.method', reason: 'INVALID_DATA' },
    ]);
  });

  it('holds billTo and shipTo to the payment limits for email and phone, not the wider TMS ones', async () => {
    const long = { email: `${'a'.repeat(244)}@example.com`, phoneNumber: '+1 (415) 888-0000' };
    for (const [where, field] of [
      ['billTo', 'phoneNumber'],
      ['billTo', 'email'],
      ['shipTo', 'phoneNumber'],
    ] as const) {
      const address = { ...BILL_TO, [field]: long[field] };
      const r = await t.post('/pts/v2/payments', withAddresses({ [where]: address }));
      expect([r.status, r.body.details]).toEqual([
        400,
        [{ field: `orderInformation.${where}.${field}`, reason: 'INVALID_DATA' }],
      ]);
    }
  });

  it.each([
    ['a US state', 'US', ['CA', 'NY', 'DC', 'PR', 'GU', 'VI', 'AS', 'MP', 'AA', 'AE', 'AP', 'ca']],
    ['a Canadian province or territory', 'CA', ['ON', 'QC', 'BC', 'NU', 'YT', 'NT', 'PE']],
    ['any area outside US/CA', 'GB', ['London', 'ZZ']],
  ])('accepts %s', async (_, country, areas) => {
    for (const administrativeArea of areas) {
      const r = await t.post(
        '/pts/v2/payments',
        withAddresses({
          billTo: {
            ...BILL_TO,
            country,
            administrativeArea,
            // BILL_TO's is a US ZIP code.
            ...(country === 'CA' ? { postalCode: 'K1A 0B1' } : {}),
          },
        }),
      );
      expect(r.status, administrativeArea).toBe(201);
    }
  });

  it.each([
    ['billTo', 'US', { administrativeArea: 'ZZ' }],
    ['billTo', 'US', { administrativeArea: 'California' }],
    ['billTo', 'US', { administrativeArea: 'ON' }],
    ['billTo', 'CA', { administrativeArea: 'NY' }],
    ['shipTo', 'US', { administrativeArea: 'XX' }],
    ['billTo', 'US', { administrativeArea: 'CA', postalCode: '9410' }],
    ['billTo', 'US', { administrativeArea: 'CA', postalCode: '941051234' }],
    ['billTo', 'US', { administrativeArea: 'CA', postalCode: 'ABCDE' }],
    ['billTo', 'CA', { administrativeArea: 'ON', postalCode: 'K1A0B1' }],
    ['billTo', 'CA', { administrativeArea: 'ON', postalCode: '12345' }],
    ['shipTo', 'US', { administrativeArea: 'CA', postalCode: '94105-12' }],
  ])('refuses %s country %s %o: 400 INVALID_DATA on the bad field', async (which, country, bad) => {
    const r = await t.post('/pts/v2/payments', withAddresses({ [which]: { country, ...bad } }));
    // The postal code when one is sent (its state is a good one), else the state.
    const field = 'postalCode' in bad ? 'postalCode' : 'administrativeArea';
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      status: 'INVALID_REQUEST',
      reason: 'INVALID_DATA',
      message: INVALID,
      details: [{ field: `orderInformation.${which}.${field}`, reason: 'INVALID_DATA' }],
    });
  });

  it.each([
    ['US', ['94105', '48104-2201']],
    ['CA', ['K1A 0B1', 'm5v 2t6']],
    ['GB', ['SW1A 1AA', '1']],
  ])('accepts a %s postal code written as documented', async (country, codes) => {
    for (const postalCode of codes) {
      const area = country === 'CA' ? 'ON' : country === 'US' ? 'CA' : 'London';
      const r = await t.post(
        '/pts/v2/payments',
        withAddresses({
          billTo: { ...BILL_TO, country, administrativeArea: area, postalCode },
        }),
      );
      expect(r.status, postalCode).toBe(201);
    }
  });

  it('refuses unknown billTo/shipTo keys on their dotted paths', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      withAddresses({
        billTo: { ...BILL_TO, favouriteColour: 'red' },
        shipTo: { firstName: 'John', favouriteColour: 'blue' },
      }),
    );
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('INVALID_DATA');
    expect(r.body.details).toEqual([
      { field: 'orderInformation.billTo.favouriteColour', reason: 'INVALID_DATA' },
      { field: 'orderInformation.shipTo.favouriteColour', reason: 'INVALID_DATA' },
    ]);
  });

  it.each([
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a lower-case country', { country: 'us' }, 'country'],
    ['a non-string', { postalCode: 94105 }, 'postalCode'],
    ['a too-long locality', { locality: 'x'.repeat(51) }, 'locality'],
  ])('refuses %s in billTo', async (_, patch, field) => {
    const r = await t.post('/pts/v2/payments', withAddresses({ billTo: { ...BILL_TO, ...patch } }));
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([
      { field: `orderInformation.billTo.${field}`, reason: 'INVALID_DATA' },
    ]);
  });

  it('a refused billTo vaults nothing with TOKEN_CREATE', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      withAddresses(
        { billTo: { ...BILL_TO, administrativeArea: 'ZZ' } },
        tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      ),
    );
    expect(r.status).toBe(400);
    expect(t.emulator.state.tms.customers.size).toBe(0);
    expect(t.emulator.state.tms.paymentInstruments.size).toBe(0);
    expect(t.emulator.state.tms.instrumentIdentifiers.size).toBe(0);
  });

  it('TOKEN_CREATE vaults exactly the checked billTo fields', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      withAddresses(
        { billTo: BILL_TO },
        tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      ),
    );
    expect(r.status).toBe(201);
    const pi = t.emulator.state.tms.paymentInstruments.get(
      r.body.tokenInformation.paymentInstrument.id,
    );
    expect(pi?.billTo).toEqual(BILL_TO);
  });

  it('accepts the billTo fields only payments document, and vaults none of them', async () => {
    // CyberSource's own Microform sample (express-microform/app.js) sends district and
    // buildingNumber; SPEC2020 lists the rest on /pts/v2/payments' billTo.
    const extra = {
      middleName: 'Q',
      nameSuffix: 'Jr',
      title: 'Dr',
      address3: 'Floor 3',
      address4: 'Suite 300',
      district: 'SoMa',
      buildingNumber: '1',
      emailDomain: 'cybs.com',
      phoneType: 'work',
    };
    const r = await t.post(
      '/pts/v2/payments',
      withAddresses(
        { billTo: { ...BILL_TO, ...extra } },
        tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      ),
    );
    expect(r.status).toBe(201);
    const pi = t.emulator.state.tms.paymentInstruments.get(
      r.body.tokenInformation.paymentInstrument.id,
    );
    expect(pi?.billTo).toEqual(BILL_TO);
    const bad = await t.post(
      '/pts/v2/payments',
      withAddresses({ billTo: { ...BILL_TO, phoneType: 'pager' } }),
    );
    expect(bad.body.details).toEqual([
      { field: 'orderInformation.billTo.phoneType', reason: 'INVALID_DATA' },
    ]);
  });
});

describe('TOKEN_CREATE for an existing customer (API-FACTS §2.3)', () => {
  beforeEach(() => t.reset());

  async function vaultedCustomer() {
    const r = await t.post(
      '/pts/v2/payments',
      cardPayment({
        extra: tokenCreate(['customer', 'paymentInstrument', 'instrumentIdentifier']),
      }),
    );
    expect(r.status).toBe(201);
    return r.body.tokenInformation as {
      customer: { id: string };
      paymentInstrument: { id: string };
    };
  }

  it('refuses actionTokenTypes without paymentInstrument: INVALID_DATA, nothing vaulted', async () => {
    const { customer } = await vaultedCustomer();
    const body = cardPayment({
      number: '5555555555554444',
      extra: tokenCreate(['instrumentIdentifier']),
    });
    (body.paymentInformation as any).customer = { id: customer.id };
    const before = t.emulator.state.tms.instrumentIdentifiers.size;
    const r = await t.post('/pts/v2/payments', body);
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('INVALID_DATA');
    expect(r.body.details).toEqual([
      { field: 'processingInformation.actionTokenTypes', reason: 'INVALID_DATA' },
    ]);
    expect(t.emulator.state.tms.instrumentIdentifiers.size).toBe(before);
  });

  it('refuses to pay with a payment instrument whose customer no longer exists', async () => {
    const { customer, paymentInstrument } = await vaultedCustomer();
    // the store's cascade removes the instruments too; simulate a customer lost on its own
    t.emulator.state.tms.customers.delete(customer.id);
    const r = await t.post('/pts/v2/payments', {
      paymentInformation: { paymentInstrument: { id: paymentInstrument.id } },
      ...amount('1.00'),
    });
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([
      { field: 'paymentInformation.paymentInstrument.id', reason: 'INVALID_DATA' },
    ]);
  });
});
