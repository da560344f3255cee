/**
 * CHECKOUT_REQUIRE_BILLING_ADDRESS is enforced by the stub, not only shown by the widget: a
 * merchant whose processor wants the address (AVS) never sends a new card without it, whatever
 * script posts the payment. A saved card carries its vaulted address.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, Shopper, upstreamCalls } from './harness.ts';

const BILL_TO = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address1: '1 Market St',
  locality: 'San Francisco',
  administrativeArea: 'CA',
  postalCode: '94105',
  country: 'US',
};

let h: Harness;
beforeAll(async () => {
  h = await harness({ env: { CHECKOUT_REQUIRE_BILLING_ADDRESS: 'true' } });
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.reset());

const sales = async () =>
  (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments');

describe('a required billing address', () => {
  it('refuses a new card without it, naming the fields, before any sale', async () => {
    const r = await new Shopper(h).payNewCard({ id: 'tshirt' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toEqual(['billTo']);
    const partial = await new Shopper(h).payNewCard(
      { id: 'tshirt' },
      { billTo: { ...BILL_TO, postalCode: undefined, locality: undefined } },
    );
    expect(partial.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'billTo.locality',
      'billTo.postalCode',
    ]);
    expect(await sales()).toEqual([]);
  });

  it('pays a new card with it, and a saved card without sending it again', async () => {
    const s = new Shopper(h);
    const first = await s.payNewCard(
      { id: 'tshirt' },
      { billTo: BILL_TO, savePaymentMethod: true },
    );
    expect(first.status).toBe(201);
    const again = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: first.body.paymentMethodId,
      item: { id: 'tshirt' },
    });
    expect(again.status).toBe(201);
    expect(await sales()).toHaveLength(2);
  });
});
