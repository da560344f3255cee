/**
 * Answers the real service may give that the emulator's faithful ones do not: Transaction
 * Details naming TMS ids as the current SDK models them (`customer.customerId`, a top-level
 * `tokenInformation`), and TMS bodies shaped as the 2020 spec's examples (paging as strings,
 * `previousTransactionId` as a number, no `issuer`, an array in `buyerInformation`). The stub
 * reads only what it uses, each field on its own: one odd field never costs a saved card.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detailsTokens } from '../../cybersource/payments/index.ts';
import { InstrumentIdentifier } from '../../cybersource/tms/instrument-identifiers/index.ts';
import {
  PaymentInstrumentPage,
  readPaymentInstrumentPage,
} from '../../cybersource/tms/payment-instruments/index.ts';
import { listCustomerPaymentInstruments } from '../../server-stub/cybersource/tms-customers.ts';
import { getInstrumentIdentifier } from '../../server-stub/cybersource/tms-instrument-identifiers.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import {
  editTransactionDetails,
  type HardeningHarness,
  hardeningHarness,
  SetupShopper,
} from './support.ts';

/** SPEC2020 `PATCH /tms/v1/instrumentidentifiers/{tokenId}` 200 example, as published. */
const SPEC2020_PATCHED_IDENTIFIER = {
  _links: {
    self: {
      href: 'https://api.cybersource.com/tms/v1/instrumentidentifiers/58FEBAEFD2EEFCE1E0539399D30A7500',
    },
  },
  id: '58FEBAEFD2EEFCE1E0539399D30A7500',
  object: 'instrumentIdentifier',
  state: 'ACTIVE',
  card: { number: '424242XXXXXX4242' },
  processingInformation: {
    authorizationOptions: {
      initiator: { merchantInitiatedTransaction: { previousTransactionId: 123456789012345 } },
    },
  },
  metadata: { creator: 'user' },
};

/** SPEC2020 `GET /tms/v1/paymentinstruments/{tokenId}` 200 example, plus a driver's licence. */
const SPEC2020_INSTRUMENT = {
  _links: {
    self: {
      href: 'https://api.cybersource.com/tms/v1/paymentinstruments/5910683634E6B035E0539399D30A4B46',
    },
  },
  id: '5910683634E6B035E0539399D30A4B46',
  object: 'paymentInstrument',
  state: 'ACTIVE',
  card: {
    expirationMonth: '11',
    expirationYear: '2020',
    type: 'visa',
    issueNumber: '1',
    startMonth: '12',
    startYear: '2017',
  },
  buyerInformation: {
    companyTaxID: '12345',
    currency: 'USD',
    // SPEC2020 `buyerInformation.personalIdentification`: an array of objects
    personalIdentification: [
      { id: '1234567890', type: 'driver license', issuedBy: { administrativeArea: 'CA' } },
    ],
  },
  processingInformation: { billPaymentProgramEnabled: true },
  metadata: { creator: 'user' },
  _embedded: {
    instrumentIdentifier: {
      ...SPEC2020_PATCHED_IDENTIFIER,
      issuer: { paymentAccountReference: 'V000000000000411111111111111' },
    },
  },
};

describe('reading TMS answers (cybersource/tms)', () => {
  it('reads a numeric previousTransactionId as text, without object or issuer', () => {
    const ii = InstrumentIdentifier.parse(SPEC2020_PATCHED_IDENTIFIER);
    expect(
      ii.processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction
        .previousTransactionId,
    ).toBe('123456789012345');
    const bare = InstrumentIdentifier.parse({ id: '7010000000016241111' });
    expect(bare.processingInformation).toBeUndefined();
  });

  it('reads a page with string paging, no links, an odd item and a broken one', () => {
    const raw = {
      offset: '0',
      limit: '20',
      count: '3',
      total: '3',
      _embedded: {
        paymentInstruments: [
          SPEC2020_INSTRUMENT,
          { id: 'B'.repeat(32), state: 'ACTIVE', _embedded: { instrumentIdentifier: 'odd' } },
          { state: 'ACTIVE', card: { type: '001' } },
        ],
      },
    };
    const { list, skipped } = readPaymentInstrumentPage(PaymentInstrumentPage.parse(raw));
    expect([list.offset, list.limit, list.count, list.total]).toEqual([0, 20, 3, 3]);
    const [spec, odd] = list._embedded?.paymentInstruments ?? [];
    expect(spec).toMatchObject({ id: SPEC2020_INSTRUMENT.id, state: 'ACTIVE' });
    expect(spec?._embedded?.instrumentIdentifier?.card?.number).toBe('424242XXXXXX4242');
    expect(odd?.id).toBe('B'.repeat(32));
    expect(odd?._embedded?.instrumentIdentifier).toBeUndefined();
    expect(list._embedded?.paymentInstruments).toHaveLength(2);
    expect(skipped).toEqual([{ index: 2, issues: [{ field: 'id', reason: 'invalid_type' }] }]);
  });

  it('reads a page without any paging fields, and an empty one without _embedded', () => {
    const { list } = readPaymentInstrumentPage(
      PaymentInstrumentPage.parse({ _embedded: { paymentInstruments: [SPEC2020_INSTRUMENT] } }),
    );
    expect(list._embedded?.paymentInstruments.map((p) => p.id)).toEqual([SPEC2020_INSTRUMENT.id]);
    expect(list.total).toBeUndefined();
    expect(readPaymentInstrumentPage(PaymentInstrumentPage.parse({})).list._embedded).toBe(
      undefined,
    );
  });

  it('still refuses a page whose _embedded is not a list: "no cards" would forget every card', () => {
    expect(
      PaymentInstrumentPage.safeParse({ _embedded: { paymentInstruments: 'none' } }).success,
    ).toBe(false);
  });
});

describe('reading Transaction Details token ids (detailsTokens)', () => {
  const C = 'C'.repeat(32);
  const P = 'P'.repeat(32);
  const I = '7010000000016241111';
  it.each([
    [
      'the emulator’s shape',
      {
        paymentInformation: {
          customer: { id: C },
          paymentInstrument: { id: P },
          instrumentIdentifier: { id: I },
        },
      },
    ],
    // NODE TssV2TransactionsGet200ResponsePaymentInformationCustomer.md; SPEC2020 has only customerId
    [
      'customer.customerId, ids in tokenInformation only',
      {
        paymentInformation: { customer: { customerId: C } },
        tokenInformation: { paymentInstrument: { id: P }, instrumentIdentifier: { id: I } },
      },
    ],
    [
      'an odd paymentInstrument beside a good tokenInformation',
      {
        paymentInformation: {
          customer: { id: 42, customerId: C },
          paymentInstrument: 'odd',
          instrumentIdentifier: { id: I, state: 'ACTIVE' },
        },
        tokenInformation: { customer: { id: C }, paymentInstrument: { id: P } },
      },
    ],
  ])('reads %s', (_, details) => {
    expect(detailsTokens(details)).toMatchObject({
      customerId: C,
      paymentInstrumentId: P,
      instrumentIdentifierId: I,
    });
  });

  it('loses only the odd field, and reads nothing from something that is not an object', () => {
    expect(
      detailsTokens({
        paymentInformation: {
          paymentInstrument: [P],
          card: { suffix: '1111', expirationMonth: 12 },
        },
      }),
    ).toEqual({ card: { suffix: '1111' } });
    expect(detailsTokens('not json')).toEqual({ card: {} });
  });
});

/** Edits the JSON answers to calls whose path matches; the emulator stays as it is. */
function editAnswers(
  f: typeof fetch,
  edits: { match: RegExp; edit: (body: any) => void }[],
): typeof fetch {
  return async (input, init) => {
    const res = await f(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const active = edits.filter((e) => e.match.test(`${method} ${new URL(url).pathname}`));
    if (active.length === 0 || res.status !== 200) return res;
    const body = await res.json();
    for (const e of active) e.edit(body);
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: res.status, headers });
  };
}

describe('the stub against such answers', () => {
  let details: ((body: any) => void) | undefined;
  let tmsOdd = false;
  /** Edits each listed instrument (any test). */
  let instrumentEdit: ((pi: any) => void) | undefined;
  let h: HardeningHarness;

  const spec2020Page = (page: any) => {
    for (const pi of page._embedded?.paymentInstruments ?? []) instrumentEdit?.(pi);
    if (!tmsOdd) return;
    for (const k of ['offset', 'limit', 'count', 'total']) page[k] = String(page[k]);
    delete page._links;
    for (const pi of page._embedded?.paymentInstruments ?? []) {
      pi.buyerInformation = SPEC2020_INSTRUMENT.buyerInformation;
      const ii = pi._embedded?.instrumentIdentifier;
      if (ii) {
        delete ii.object;
        delete ii.issuer;
        const mit =
          ii.processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction;
        if (mit) mit.previousTransactionId = Number(mit.previousTransactionId);
      }
    }
    page._embedded?.paymentInstruments.push({ state: 'ACTIVE', card: { type: '001' } });
  };
  const spec2020Identifier = (ii: any) => {
    if (!tmsOdd) return;
    delete ii.object;
    delete ii.issuer;
    const mit =
      ii.processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction;
    if (mit) mit.previousTransactionId = Number(mit.previousTransactionId);
  };

  beforeAll(async () => {
    h = await hardeningHarness({
      wrapFetch: (f) =>
        editAnswers(
          editTransactionDetails(f, (body) => details?.(body)),
          [
            { match: /^GET \/tms\/v2\/customers\/[^/]+\/payment-instruments$/, edit: spec2020Page },
            { match: /^GET \/tms\/v1\/instrumentidentifiers\/[^/]+$/, edit: spec2020Identifier },
          ],
        ),
    });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    details = undefined;
    tmsOdd = false;
    instrumentEdit = undefined;
  });

  const methods = async (s: SetupShopper) => s.request('GET', '/api/payment-methods');
  /** Keeps a Visa, then a Mastercard (the default now); resolves with the Mastercard's id. */
  const keepVisaAndMastercard = async (s: SetupShopper) => {
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const mc = await s.payNewCard(
      { id: 'tshirt' },
      { savePaymentMethod: true },
      {
        number: '5555555555554444',
        securityCode: '123',
        expirationMonth: '11',
        expirationYear: '2030',
      },
    );
    return String(mc.body.paymentMethodId);
  };

  it.each([
    [
      'customer.customerId, the instrument ids in tokenInformation only',
      (body: any) => {
        const pi = body.paymentInformation;
        body.tokenInformation = {
          paymentInstrument: pi.paymentInstrument,
          instrumentIdentifier: pi.instrumentIdentifier,
        };
        pi.customer = { customerId: pi.customer.id };
        delete pi.paymentInstrument;
        delete pi.instrumentIdentifier;
      },
    ],
    [
      'an odd paymentInstrument in paymentInformation',
      (body: any) => {
        body.tokenInformation = { paymentInstrument: body.paymentInformation.paymentInstrument };
        body.paymentInformation.paymentInstrument = { id: 12345 };
      },
    ],
  ])('keeps the card of a found sale whose details show %s', async (_, edit) => {
    const s = new SetupShopper(h);
    // 2000.00: the emulator records the sale but answers 502, so the reconciler finishes it.
    const r = await s.payNewCard({ id: 'donation', amount: 200_000 }, { savePaymentMethod: true });
    expect(r.body.error.code).toBe('payment_outcome_unknown');
    details = edit;
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    const row = await findPayment(h.stub.db, String(r.body.payment.id));
    expect(row?.status).toBe('succeeded');
    expect(row?.payment_method_id).toMatch(/^[0-9A-F]{32}$/);
    const listed = await methods(s);
    expect(listed.body.paymentMethods.map((m: { id: string }) => m.id)).toEqual([
      row?.payment_method_id,
    ]);
  });

  it('lists, defaults and removes saved cards from a 2020-spec-shaped page with a broken item', async () => {
    const s = new SetupShopper(h);
    await keepVisaAndMastercard(s);
    tmsOdd = true;
    const listed = await methods(s);
    expect(listed.status).toBe(200);
    const cards = listed.body.paymentMethods as { id: string; last4: string; default: boolean }[];
    expect(cards.map((m) => [m.last4, m.default])).toEqual([
      ['4444', true],
      ['1111', false],
    ]);
    const [mastercard] = cards;
    expect((await s.request('DELETE', `/api/payment-methods/${mastercard?.id}`)).status).toBe(204);
    const left = (await methods(s)).body.paymentMethods;
    expect(left.map((m: { last4: string; default: boolean }) => [m.last4, m.default])).toEqual([
      ['1111', true],
    ]);
  });

  it('deletes only the duplicate a found sale created, never the card its details say it paid with', async () => {
    const s = new SetupShopper(h);
    const mastercard = await keepVisaAndMastercard(s);
    // The Visa again, kept, its answer lost (2000.00: recorded, then 502).
    const r = await s.payNewCard({ id: 'donation', amount: 200_000 }, { savePaymentMethod: true });
    expect(r.body.error.code).toBe('payment_outcome_unknown');
    // Details name the created tokens in tokenInformation, and the customer's default card (the
    // Mastercard) in paymentInformation.
    details = (body: any) => {
      const pi = body.paymentInformation;
      body.tokenInformation = {
        paymentInstrument: pi.paymentInstrument,
        instrumentIdentifier: pi.instrumentIdentifier,
      };
      pi.paymentInstrument = { id: mastercard };
    };
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    details = undefined;
    expect(h.emulator.state.tms.paymentInstruments.get(mastercard)).toBeDefined();
    const left = (await methods(s)).body.paymentMethods as { id: string; last4: string }[];
    expect(left.map((m) => m.last4).sort()).toEqual(['1111', '4444']);
  });

  it.each([
    ['no state', (pi: any) => delete pi.state],
    ['a state in lower case', (pi: any) => (pi.state = 'active')],
    ['a state we do not know', (pi: any) => (pi.state = 'SUSPENDED')],
  ])('forgets no saved card on a page whose instrument has %s', async (_, editOne) => {
    const s = new SetupShopper(h);
    const paid = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const id = String(paid.body.paymentMethodId);
    instrumentEdit = editOne;
    const listed = await methods(s);
    expect(listed.status).toBe(200);
    instrumentEdit = undefined;
    // Still the shopper's: listed again, and it pays.
    expect((await methods(s)).body.paymentMethods.map((m: { id: string }) => m.id)).toEqual([id]);
    const again = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: id,
      item: { id: 'tshirt' },
    });
    expect(again.status).toBe(201);
  });

  async function savedCard() {
    const s = new SetupShopper(h);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const [card] = (await methods(s)).body.paymentMethods;
    const stored = h.emulator.state.tms.paymentInstruments.get(card.id);
    if (!stored?.customerId) throw new Error('card not kept');
    return {
      id: String(card.id),
      customerId: stored.customerId,
      ii: stored.instrumentIdentifierId,
    };
  }

  it('logs the instrument it left out of a page', async () => {
    const card = await savedCard();
    tmsOdd = true;
    const ctx = h.stub.checkout;
    const page = await listCustomerPaymentInstruments(
      ctx.client,
      card.customerId,
      'req-odd',
      ctx.logger,
    );
    expect(page._embedded?.paymentInstruments.map((p) => p.id)).toEqual([card.id]);
    expect(h.logs.text).toContain('TMS payment instrument unreadable; left out of the list');
  });

  it('reads the network transaction id TMS keeps even as a number', async () => {
    const card = await savedCard();
    tmsOdd = true;
    const ii = await getInstrumentIdentifier(h.stub.checkout.client, card.ii);
    const kept = h.emulator.state.tms.instrumentIdentifiers.get(card.ii)?.previousTransactionId;
    expect(kept).toMatch(/^\d+$/);
    // Sent as a JSON number, an id with a leading zero arrives without it (1 time in 10 here):
    // the stub reads the number's decimal text, which is all such an answer carries.
    expect(
      ii.processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction
        .previousTransactionId,
    ).toBe(String(Number(kept)));
  });
});
