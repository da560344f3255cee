import { beforeEach, describe, expect, it } from 'vitest';
import { PaymentInstrument } from '../../../cybersource/tms/payment-instruments/index.ts';
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
    const pi = PaymentInstrument.parse(created.body);
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

  it('answers 404 for an unknown id', async () => {
    for (const method of ['GET', 'DELETE']) {
      expect((await call(`${PI}/F45FD8DE542A9E9CE053A2598D0AFDFA`, { method })).status).toBe(404);
    }
  });
});
