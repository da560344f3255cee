import { beforeEach, describe, expect, it } from 'vitest';
import { PaymentInstrumentBody } from '../../../cybersource/tms/payment-instruments/index.ts';
import { CARDS, instrumentIdentifier, tmsHarness } from './harness.ts';

const { call, reset } = tmsHarness();
const PI = '/tms/v1/paymentinstruments';
const card = { expirationMonth: '09', expirationYear: '2031', type: '001' };

describe('stand-alone payment instruments', () => {
  beforeEach(reset);

  it('creates with an identifier id, reads, patches and deletes', async () => {
    const iiId = await instrumentIdentifier(call, CARDS.visa);
    const created = await call(PI, { body: { card, instrumentIdentifier: { id: iiId } } });
    expect(created.status).toBe(201);
    const pi = PaymentInstrumentBody.parse(created.body);
    expect(pi).toMatchObject({
      object: 'paymentInstrument',
      state: 'ACTIVE',
      card,
      instrumentIdentifier: { id: iiId },
    });
    expect(pi.default).toBeUndefined();
    expect(pi._links?.self.href).toBe(`http://localhost:4010${PI}/${pi.id}`);

    expect((await call(`${PI}/${pi.id}`)).body).toEqual(created.body);
    const patched = await call(`${PI}/${pi.id}`, {
      method: 'PATCH',
      body: { billTo: { firstName: 'John', country: 'US' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.billTo).toEqual({ firstName: 'John', country: 'US' });
    expect((await call(`${PI}/${pi.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${PI}/${pi.id}`)).status).toBe(410);
  });

  it('creates with a raw card number, finding the existing identifier', async () => {
    const iiId = await instrumentIdentifier(call, CARDS.visa);
    const r = await call(PI, {
      body: { card, instrumentIdentifier: { card: { number: CARDS.visa } } },
    });
    expect(r.status).toBe(201);
    expect(r.body.instrumentIdentifier.id).toBe(iiId);
    expect(r.body._embedded.instrumentIdentifier.card.number).toBe('411111XXXXXX1111');
  });

  it.each([
    [
      'both an identifier id and a card',
      { card, instrumentIdentifier: { id: '7010000000016241111', card: { number: CARDS.visa } } },
      'invalidCombination',
      [
        { name: 'id', location: 'instrumentIdentifier' },
        { name: 'card', location: 'instrumentIdentifier' },
      ],
    ],
    [
      'an unknown identifier',
      { card, instrumentIdentifier: { id: '7010000000016241111' } },
      'instrumentIdentifierNotFound',
      undefined,
    ],
    [
      'neither',
      { card, instrumentIdentifier: {} },
      'missingFields',
      [{ name: 'id', location: 'instrumentIdentifier' }],
    ],
    ['no identifier at all', { card }, 'missingFields', [{ name: 'instrumentIdentifier' }]],
    [
      'no card type',
      { card: { expirationMonth: '09' }, instrumentIdentifier: { id: '1' } },
      'missingFields',
      [{ name: 'type', location: 'card' }],
    ],
    [
      'a bad month',
      { card: { ...card, expirationMonth: '13' }, instrumentIdentifier: { id: '1' } },
      'invalidFields',
      [{ name: 'expirationMonth', location: 'card' }],
    ],
    [
      'a non-Luhn card',
      { card, instrumentIdentifier: { card: { number: '4111111111111112' } } },
      'invalidFields',
      [{ name: 'number', location: 'instrumentIdentifier.card' }],
    ],
    [
      'default (customer-only)',
      { default: true, card, instrumentIdentifier: { id: '1' } },
      'unsupportedFields',
      [{ name: 'default' }],
    ],
  ])('refuses %s with 400', async (_name, body, type, details) => {
    const r = await call(PI, { body });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([
      { type, message: expect.any(String), ...(details ? { details } : {}) },
    ]);
  });

  // SPEC2020 documents names for these two endpoints; SAMPLES `create-payment-instrument-card.js`
  // and `update-payment-instrument.js` send 'visa'
  it.each([
    ['visa', '001'],
    ['american express', '003'],
    ['maestro international', '042'],
    ['china union pay', '062'],
  ])('takes the card type name %s and keeps its code %s', async (name, code) => {
    const iiId = await instrumentIdentifier(call, CARDS.visa);
    const created = await call(PI, {
      body: { card: { ...card, type: name }, instrumentIdentifier: { id: iiId } },
    });
    expect(created.status).toBe(201);
    expect(created.body.card.type).toBe(code);
    const patched = await call(`${PI}/${created.body.id}`, {
      method: 'PATCH',
      body: { card: { type: 'mastercard' } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.card).toEqual({ ...card, type: '002' });
    expect((await call(`${PI}/${created.body.id}`)).body.card.type).toBe('002');
  });

  it.each(['VISA', 'Visa', 'amex', 'maestro', '1'])(
    'refuses the card type %s, neither a listed name nor a code',
    async (type) => {
      const r = await call(PI, {
        body: { card: { ...card, type }, instrumentIdentifier: { id: '1' } },
      });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        {
          type: 'invalidFields',
          message: expect.any(String),
          details: [{ name: 'type', location: 'card' }],
        },
      ]);
    },
  );

  it('keeps codes only on customer instruments, as the customer endpoints document', async () => {
    const cid = (await call('/tms/v2/customers', { body: {} })).body.id;
    const iiId = await instrumentIdentifier(call, CARDS.visa);
    const r = await call(`/tms/v2/customers/${cid}/payment-instruments`, {
      body: { card: { ...card, type: 'visa' }, instrumentIdentifier: { id: iiId } },
    });
    expect(r.status).toBe(400);
  });

  it.each([true, 'true'])(
    'refuses default %j on PATCH: no field of this endpoint',
    async (value) => {
      const iiId = await instrumentIdentifier(call, CARDS.visa);
      const pi = (await call(PI, { body: { card, instrumentIdentifier: { id: iiId } } })).body;
      const r = await call(`${PI}/${pi.id}`, { method: 'PATCH', body: { default: value } });
      expect(r.status).toBe(400);
      expect(r.body.errors).toEqual([
        { type: 'unsupportedFields', message: expect.any(String), details: [{ name: 'default' }] },
      ]);
    },
  );

  it('answers 404 for an unknown id', async () => {
    for (const method of ['GET', 'DELETE']) {
      expect((await call(`${PI}/F45FD8DE542A9E9CE053A2598D0AFDFA`, { method })).status).toBe(404);
    }
  });
});
