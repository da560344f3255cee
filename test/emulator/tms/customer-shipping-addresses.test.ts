/**
 * `/tms/v2/customers/{id}/shipping-addresses` (NODE CustomerShippingAddressApi.md; SAMPLES
 * `Samples/TokenManagement/CustomerShippingAddress/`) and the customer's default address.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Customer,
  ShippingAddressBody,
  ShippingAddressListBody,
} from '../../../cybersource/tms/customers/index.ts';
import { TMS_SAMPLE_ADDRESS } from '../../fixtures/official-samples.ts';
import { customer, type TmsCall, tmsHarness } from './harness.ts';

const { call, other, reset } = tmsHarness();
const sasOf = (cid: string) => `/tms/v2/customers/${cid}/shipping-addresses`;

async function address(
  c: TmsCall,
  cid: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const r = await c(sasOf(cid), { body: { shipTo: TMS_SAMPLE_ADDRESS, ...extra } });
  expect(r.status).toBe(201);
  return r.body.id;
}

const customerBody = async (cid: string) =>
  Customer.parse((await call(`/tms/v2/customers/${cid}`)).body);

describe('customer shipping addresses', () => {
  beforeEach(reset);

  it('creates with 201 (the first is the default), reads it back, and shows on the customer', async () => {
    const cid = await customer(call);
    const r = await call(sasOf(cid), { body: { shipTo: TMS_SAMPLE_ADDRESS } });
    expect(r.status).toBe(201);
    const sa = ShippingAddressBody.parse(r.body);
    expect(sa).toEqual({
      _links: {
        self: { href: `${sasOf(cid)}/${sa.id}` },
        customer: { href: `/tms/v2/customers/${cid}` },
      },
      id: expect.stringMatching(/^[0-9A-F]{32}$/),
      default: true,
      shipTo: TMS_SAMPLE_ADDRESS,
      metadata: { creator: 'testrest' },
    });
    const got = await call(`${sasOf(cid)}/${sa.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
    expect(got.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);

    const cust = await customerBody(cid);
    expect(cust.defaultShippingAddress).toEqual({ id: sa.id });
    expect(cust._embedded?.defaultShippingAddress).toEqual(r.body);
  });

  it('moves the default only with default:true (create, PATCH, customer PATCH)', async () => {
    const cid = await customer(call);
    const a = await address(call, cid);
    const b = await address(call, cid);
    expect((await customerBody(cid)).defaultShippingAddress?.id).toBe(a);
    expect((await call(`${sasOf(cid)}/${b}`)).body.default).toBe(false);
    const c = await address(call, cid, { default: true });
    expect((await customerBody(cid)).defaultShippingAddress?.id).toBe(c);

    const patched = await call(`${sasOf(cid)}/${b}`, { method: 'PATCH', body: { default: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.default).toBe(true);
    expect((await customerBody(cid)).defaultShippingAddress?.id).toBe(b);

    // SAMPLES update-customers-default-shipping-address.js
    const viaCustomer = await call(`/tms/v2/customers/${cid}`, {
      method: 'PATCH',
      body: { defaultShippingAddress: { id: a } },
    });
    expect(viaCustomer.status).toBe(200);
    expect(viaCustomer.body.defaultShippingAddress).toEqual({ id: a });
  });

  it("refuses another customer's address as the default, and default:false on the default", async () => {
    const cid = await customer(call);
    const a = await address(call, cid);
    const elsewhere = await address(call, await customer(call));
    const r = await call(`/tms/v2/customers/${cid}`, {
      method: 'PATCH',
      body: { defaultShippingAddress: { id: elsewhere } },
    });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({
      type: 'invalidFields',
      details: [{ name: 'id', location: 'defaultShippingAddress' }],
    });
    const off = await call(`${sasOf(cid)}/${a}`, { method: 'PATCH', body: { default: false } });
    expect(off.status).toBe(400);
    expect((await customerBody(cid)).defaultShippingAddress?.id).toBe(a);
  });

  it('lists default first with paging; an empty list has no _embedded', async () => {
    const cid = await customer(call);
    const empty = ShippingAddressListBody.parse((await call(sasOf(cid))).body);
    expect(empty).toMatchObject({ offset: 0, limit: 20, count: 0, total: 0 });
    expect(empty._embedded).toBeUndefined();

    const a = await address(call, cid);
    const b = await address(call, cid, { default: true });
    const c = await address(call, cid);
    const page = await call(`${sasOf(cid)}?offset=0&limit=2`);
    expect(page.status).toBe(200);
    const list = ShippingAddressListBody.parse(page.body);
    expect(list).toMatchObject({ offset: 0, limit: 2, count: 2, total: 3 });
    expect(list._embedded?.shippingAddresses.map((s) => s.id)).toEqual([b, a]);
    expect(list._links.next?.href).toBe(`${sasOf(cid)}?offset=2&limit=2`);
    const rest = ShippingAddressListBody.parse((await call(`${sasOf(cid)}?offset=2&limit=2`)).body);
    expect(rest._embedded?.shippingAddresses.map((s) => s.id)).toEqual([c]);
  });

  it('deletes with 204 (then 410); the default only once it is the last (409 before)', async () => {
    const cid = await customer(call);
    const a = await address(call, cid);
    const b = await address(call, cid);
    const blocked = await call(`${sasOf(cid)}/${a}`, { method: 'DELETE' });
    expect(blocked.status).toBe(409);
    expect(blocked.body.errors[0].type).toBe('conflict');

    expect((await call(`${sasOf(cid)}/${b}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${sasOf(cid)}/${b}`)).status).toBe(410);
    expect((await call(`${sasOf(cid)}/${a}`, { method: 'DELETE' })).status).toBe(204);
    const cust = await customerBody(cid);
    expect(cust.defaultShippingAddress).toBeUndefined();
    expect(cust._embedded).toBeUndefined();
  });

  it('deleting the customer deletes its addresses', async () => {
    const cid = await customer(call);
    const a = await address(call, cid);
    expect((await call(`/tms/v2/customers/${cid}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${sasOf(cid)}/${a}`)).status).toBe(410);
  });

  it("answers 404 for another merchant's or another customer's address", async () => {
    const cid = await customer(call);
    const a = await address(call, cid);
    expect((await other(`${sasOf(cid)}/${a}`)).status).toBe(404);
    expect((await other(sasOf(cid))).status).toBe(404);
    const cid2 = await customer(call);
    expect((await call(`${sasOf(cid2)}/${a}`)).status).toBe(404);
    expect((await call(`${sasOf(cid2)}/${a}`, { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    ['no shipTo', {}, 'missingFields', [{ name: 'shipTo' }]],
    [
      'an unknown shipTo field',
      { shipTo: { ...TMS_SAMPLE_ADDRESS, middleName: 'Q' } },
      'unknownField',
      [{ name: 'middleName', location: 'shipTo' }],
    ],
    [
      'the SDK-sample key _default',
      { _default: true, shipTo: TMS_SAMPLE_ADDRESS },
      'unknownField',
      [{ name: '_default' }],
    ],
  ])('refuses %s with 400', async (_name, body, type, details) => {
    const cid = await customer(call);
    const r = await call(sasOf(cid), { body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ errors: [{ type, message: expect.any(String), details }] });
  });
});
