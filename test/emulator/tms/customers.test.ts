import { beforeEach, describe, expect, it } from 'vitest';
import { Customer } from '../../../cybersource/tms/customers/index.ts';
import { CARDS, customer, customerInstrument, tmsHarness } from './harness.ts';

const { call, reset } = tmsHarness();
const CUSTOMERS = '/tms/v2/customers';

const full = {
  buyerInformation: { merchantCustomerID: 'Your customer identifier', email: 'test@cybs.com' },
  clientReferenceInformation: { code: 'TC50171_3' },
  merchantDefinedInformation: [{ name: 'data1', value: 'Your customer data' }],
};

describe('customers', () => {
  beforeEach(reset);

  it('creates with 201 and reads it back', async () => {
    const r = await call(CUSTOMERS, { body: full });
    expect(r.status).toBe(201);
    const c = Customer.parse(r.body);
    expect(c.id).toMatch(/^[0-9A-F]{32}$/);
    expect(c).toMatchObject({ ...full, metadata: { creator: 'testrest' } });
    expect(c._links).toEqual({
      self: { href: `${CUSTOMERS}/${c.id}` },
      paymentInstruments: { href: `${CUSTOMERS}/${c.id}/payment-instruments` },
      // NODE Tmsv2tokenizeTokenInformationCustomerLinks names it `shippingAddress`
      shippingAddress: { href: `${CUSTOMERS}/${c.id}/shipping-addresses` },
    });
    expect(c.defaultPaymentInstrument).toBeUndefined();
    expect(c.defaultShippingAddress).toBeUndefined();
    const got = await call(`${CUSTOMERS}/${c.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it('patches fields, keeping the ones not sent', async () => {
    const id = (await call(CUSTOMERS, { body: full })).body.id;
    const r = await call(`${CUSTOMERS}/${id}`, {
      method: 'PATCH',
      body: { buyerInformation: { email: 'new@cybs.com' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.buyerInformation).toEqual({ email: 'new@cybs.com' });
    expect(r.body.clientReferenceInformation).toEqual(full.clientReferenceInformation);
  });

  it.each([
    ['an unknown top-level field', { nickname: 'x' }, 'unknownField', [{ name: 'nickname' }]],
    [
      'a bad email',
      { buyerInformation: { email: 'nope' } },
      'invalidFields',
      [{ name: 'email', location: 'buyerInformation' }],
    ],
    [
      'a bad merchant-defined name',
      { merchantDefinedInformation: [{ name: 'data9', value: 'v' }] },
      'invalidFields',
      [{ name: 'name', location: 'merchantDefinedInformation[0]' }],
    ],
    [
      'a default instrument on create',
      { defaultPaymentInstrument: { id: 'F45FD8DE542A9E9CE053A2598D0AFDFA' } },
      'unsupportedFields',
      [{ name: 'defaultPaymentInstrument' }],
    ],
    ['the SDK-sample key _default', { _default: true }, 'unknownField', [{ name: '_default' }]],
  ])('refuses %s with 400', async (_name, body, type, details) => {
    const r = await call(CUSTOMERS, { body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ type, message: expect.any(String), details }] });
  });

  it('refuses malformed JSON with 400 in the TMS envelope', async () => {
    const r = await call(CUSTOMERS, { rawBody: '{"buyerInformation":' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].type).toBe('invalidFields');
  });

  it('deletes a customer with its instruments and their unused identifiers', async () => {
    const id = await customer(call);
    const pi = await customerInstrument(call, id, CARDS.visa);
    const iiId = (await call(`${CUSTOMERS}/${id}/payment-instruments/${pi}`)).body
      .instrumentIdentifier.id;
    expect((await call(`${CUSTOMERS}/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${CUSTOMERS}/${id}`)).status).toBe(410);
    expect((await call(`${CUSTOMERS}/${id}/payment-instruments/${pi}`)).status).toBe(410);
    expect((await call(`/tms/v1/instrumentidentifiers/${iiId}`)).status).toBe(410);
  });

  it('answers 404 notFound for an unknown customer on every method', async () => {
    const path = `${CUSTOMERS}/F2F3ADA770102B51E053A2598D0A9078`;
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', {}],
      ['DELETE', undefined],
    ] as const) {
      const r = await call(path, { method, ...(body ? { body } : {}) });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ errors: [{ type: 'notFound', message: 'Token not found' }] });
    }
  });
});
