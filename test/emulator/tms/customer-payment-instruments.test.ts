import { beforeEach, describe, expect, it } from 'vitest';
import { Customer } from '../../../cybersource/tms/customers/index.ts';
import {
  PaymentInstrumentBody,
  PaymentInstrumentListBody,
} from '../../../cybersource/tms/payment-instruments/index.ts';
import {
  CARDS,
  customer,
  customerInstrument,
  instrumentIdentifier,
  tmsHarness,
} from './harness.ts';

const { call, reset } = tmsHarness();
const pisOf = (cid: string) => `/tms/v2/customers/${cid}/payment-instruments`;
const NUMBERS = [CARDS.visa, CARDS.mastercard, CARDS.amex, CARDS.discover, '4000000000002701'];

describe('customer payment instruments', () => {
  beforeEach(reset);

  it('creates with 201: the first becomes the default, embeds its masked identifier', async () => {
    const cid = await customer(call);
    const iiId = await instrumentIdentifier(call, CARDS.visa);
    const r = await call(pisOf(cid), {
      body: {
        card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
        billTo: { firstName: 'John', lastName: 'Doe', country: 'US', email: 'test@cybs.com' },
        instrumentIdentifier: { id: iiId },
      },
    });
    expect(r.status).toBe(201);
    const pi = PaymentInstrumentBody.parse(r.body);
    expect(pi.id).toMatch(/^[0-9A-F]{32}$/);
    expect(pi).toMatchObject({
      default: true,
      state: 'ACTIVE',
      card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
      instrumentIdentifier: { id: iiId },
      _links: {
        self: { href: `/tms/v2/customers/${cid}/payment-instruments/${pi.id}` },
        customer: { href: `/tms/v2/customers/${cid}` },
      },
    });
    expect(pi._embedded?.instrumentIdentifier?.card?.number).toBe('411111XXXXXX1111');

    const got = await call(`${pisOf(cid)}/${pi.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);

    const cust = Customer.parse((await call(`/tms/v2/customers/${cid}`)).body);
    expect(cust.defaultPaymentInstrument?.id).toBe(pi.id);
    expect(cust._embedded?.defaultPaymentInstrument?.id).toBe(pi.id);
  });

  it('moves the default with default:true on create and on PATCH, and with the customer PATCH', async () => {
    const cid = await customer(call);
    const a = await customerInstrument(call, cid, CARDS.visa);
    const b = await customerInstrument(call, cid, CARDS.mastercard, { default: true });
    const defaultOf = async () =>
      (await call(`/tms/v2/customers/${cid}`)).body.defaultPaymentInstrument.id;
    expect(await defaultOf()).toBe(b);
    expect((await call(`${pisOf(cid)}/${a}`)).body.default).toBe(false);

    const patched = await call(`${pisOf(cid)}/${a}`, { method: 'PATCH', body: { default: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.default).toBe(true);
    expect(await defaultOf()).toBe(a);

    const viaCustomer = await call(`/tms/v2/customers/${cid}`, {
      method: 'PATCH',
      body: { defaultPaymentInstrument: { id: b } },
    });
    expect(viaCustomer.status).toBe(200);
    expect(viaCustomer.body.defaultPaymentInstrument.id).toBe(b);
    expect(await defaultOf()).toBe(b);
  });

  it('refuses default:false on the default instrument', async () => {
    const cid = await customer(call);
    const a = await customerInstrument(call, cid, CARDS.visa);
    const r = await call(`${pisOf(cid)}/${a}`, { method: 'PATCH', body: { default: false } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({
      type: 'invalidFields',
      details: [{ name: 'default' }],
    });
  });

  it('refuses a customer PATCH naming another customer instrument as default', async () => {
    const c1 = await customer(call);
    const c2 = await customer(call);
    const foreign = await customerInstrument(call, c2, CARDS.visa);
    const r = await call(`/tms/v2/customers/${c1}`, {
      method: 'PATCH',
      body: { defaultPaymentInstrument: { id: foreign } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].details).toEqual([
      { name: 'id', location: 'defaultPaymentInstrument' },
    ]);
  });

  it('PATCH merges card and billing fields', async () => {
    const cid = await customer(call);
    const a = await customerInstrument(call, cid, CARDS.visa, {
      billTo: { firstName: 'Ann', lastName: 'Lee' },
    });
    const r = await call(`${pisOf(cid)}/${a}`, {
      method: 'PATCH',
      body: { card: { expirationYear: '2033' }, billTo: { lastName: 'Ray' } },
    });
    expect(r.status).toBe(200);
    expect(r.body.card).toEqual({ expirationMonth: '12', expirationYear: '2033', type: '001' });
    expect(r.body.billTo).toEqual({ firstName: 'Ann', lastName: 'Ray' });
  });

  it('pages the list with the default first and HAL links', async () => {
    const cid = await customer(call);
    const ids: string[] = [];
    for (const n of NUMBERS) ids.push(await customerInstrument(call, cid, n));
    // make the fourth the default: it must lead the list
    await call(`${pisOf(cid)}/${ids[3]}`, { method: 'PATCH', body: { default: true } });
    const expected = [ids[3], ids[0], ids[1], ids[2], ids[4]];

    const all = PaymentInstrumentListBody.parse((await call(pisOf(cid))).body);
    expect(all).toMatchObject({ offset: 0, limit: 20, count: 5, total: 5 });
    expect(all._embedded?.paymentInstruments.map((p) => p.id)).toEqual(expected);
    expect(all._embedded?.paymentInstruments.map((p) => p.default)).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
    expect(all._links.prev).toBeUndefined();
    expect(all._links.next).toBeUndefined();

    const page = PaymentInstrumentListBody.parse(
      (await call(`${pisOf(cid)}?offset=2&limit=2`)).body,
    );
    expect(page.count).toBe(2);
    expect(page._embedded?.paymentInstruments.map((p) => p.id)).toEqual(expected.slice(2, 4));
    expect(page._links).toEqual({
      self: { href: `${pisOf(cid)}?offset=2&limit=2` },
      first: { href: `${pisOf(cid)}?offset=0&limit=2` },
      prev: { href: `${pisOf(cid)}?offset=0&limit=2` },
      next: { href: `${pisOf(cid)}?offset=4&limit=2` },
      last: { href: `${pisOf(cid)}?offset=4&limit=2` },
    });

    const beyond = PaymentInstrumentListBody.parse((await call(`${pisOf(cid)}?offset=10`)).body);
    expect(beyond).toMatchObject({ count: 0, total: 5 });
    expect(beyond._embedded).toBeUndefined();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=abc', 'offset'],
    ['sort=id', 'sort'],
  ])('refuses the query %s with 400 invalidParameters', async (query, name) => {
    const cid = await customer(call);
    const r = await call(`${pisOf(cid)}?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({
      type: 'invalidParameters',
      details: [{ name, location: 'query' }],
    });
  });

  it('refuses to delete the default while others exist (409), then deletes the last one', async () => {
    const cid = await customer(call);
    const a = await customerInstrument(call, cid, CARDS.visa);
    const b = await customerInstrument(call, cid, CARDS.mastercard);
    const refused = await call(`${pisOf(cid)}/${a}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].type).toBe('conflict');

    expect((await call(`${pisOf(cid)}/${b}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${pisOf(cid)}/${b}`)).status).toBe(410);
    expect((await call(`${pisOf(cid)}/${a}`, { method: 'DELETE' })).status).toBe(204);
    const cust = await call(`/tms/v2/customers/${cid}`);
    expect(cust.body.defaultPaymentInstrument).toBeUndefined();
    expect(cust.body._embedded).toBeUndefined();
    expect((await call(pisOf(cid))).body).toMatchObject({ count: 0, total: 0 });
  });

  it('answers 400 for an unknown or deleted instrument identifier', async () => {
    const cid = await customer(call);
    const body = (id: string) => ({ card: { type: '001' }, instrumentIdentifier: { id } });
    const unknown = await call(pisOf(cid), { body: body('7010000000099999999') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].type).toBe('instrumentIdentifierNotFound');

    const iiId = await instrumentIdentifier(call, CARDS.visa);
    await call(`/tms/v1/instrumentidentifiers/${iiId}`, { method: 'DELETE' });
    const deleted = await call(pisOf(cid), { body: body(iiId) });
    expect(deleted.status).toBe(400);
    expect(deleted.body.errors[0].type).toBe('instrumentIdentifierGone');
  });

  it("answers 404 for another customer's instrument and for an unknown customer", async () => {
    const c1 = await customer(call);
    const c2 = await customer(call);
    const pi = await customerInstrument(call, c2, CARDS.visa);
    for (const method of ['GET', 'DELETE']) {
      expect((await call(`${pisOf(c1)}/${pi}`, { method })).status).toBe(404);
    }
    expect(
      (await call(`${pisOf(c1)}/${pi}`, { method: 'PATCH', body: { default: true } })).status,
    ).toBe(404);
    expect((await call(pisOf('F2F3ADA770102B51E053A2598D0A9078'))).status).toBe(404);
    // and the v1 stand-alone endpoint does not serve customer instruments
    expect((await call(`/tms/v1/paymentinstruments/${pi}`)).status).toBe(404);
  });
});
