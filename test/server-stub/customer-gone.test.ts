/**
 * A shopper whose TMS customer no longer exists (deleted in the Business Center, or kept by an
 * emulator that has since restarted) is not locked out: listing their cards answers an empty
 * list, and the next kept card or plan starts a new customer (server-stub/checkout/customer-gone.ts).
 * A customer that only has no cards left is never replaced.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findShopper } from '../../server-stub/store/shoppers.ts';
import { type HardeningHarness, hardeningHarness } from '../hardening/support.ts';
import { MASTERCARD, Shopper, VISA } from './harness.ts';

let h: HardeningHarness;
/** Answers in CyberSource's place for the requests it matches. */
let intercept: ((url: URL) => Response | undefined) | undefined;
beforeEach(async () => {
  intercept = undefined;
  h = await hardeningHarness({
    wrapFetch: (f) => async (input, init) => intercept?.(new URL(String(input))) ?? f(input, init),
  });
});
afterEach(() => h.close());

async function shopperWithCard() {
  const s = new Shopper(h);
  const r = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, VISA);
  expect(r.status).toBe(201);
  const shopperId = await onlyShopper();
  const customerId = (await findShopper(h.stub.db, shopperId))?.customer_id;
  if (!customerId) throw new Error('no customer kept');
  return { s, shopperId, customerId };
}

async function onlyShopper(): Promise<string> {
  const r = await h.stub.db.query('SELECT id FROM shoppers WHERE customer_id IS NOT NULL');
  expect(r.rows).toHaveLength(1);
  return (r.rows[0] as { id: string }).id;
}

/** What a deletion in the Business Center leaves: no customer, no instruments. */
function deleteAtTms(customerId: string) {
  const tms = h.emulator.state.tms;
  const customer = tms.customers.get(customerId);
  if (!customer) throw new Error('no such customer at the emulator');
  tms.deleteCustomer(customer);
}

const cards = async (s: Shopper) => {
  const r = await s.request('GET', '/api/payment-methods');
  expect(r.status).toBe(200);
  return r.body.paymentMethods as { id: string; last4: string }[];
};

it('lists no cards instead of failing, then keeps the next card in a new customer', async () => {
  const { s, shopperId, customerId } = await shopperWithCard();
  deleteAtTms(customerId);

  expect(await cards(s)).toEqual([]);
  expect((await findShopper(h.stub.db, shopperId))?.customer_id).toBeNull();
  const rows = await h.stub.db.query('SELECT id FROM payment_methods WHERE shopper_id = $1', [
    shopperId,
  ]);
  expect(rows.rows).toEqual([]);

  const plan = await s.payNewCard({ id: 'pro-monthly' }, {}, MASTERCARD);
  expect(plan.status).toBe(201);
  const fresh = (await findShopper(h.stub.db, shopperId))?.customer_id;
  expect(fresh).toBeTruthy();
  expect(fresh).not.toBe(customerId);
  expect((await cards(s)).map((c) => c.last4)).toEqual(['4444']);
});

it('forgets the customer when a payment keeping a card is refused for it, so the next attempt works', async () => {
  const { s, shopperId, customerId } = await shopperWithCard();
  deleteAtTms(customerId);

  // No list first: the payment itself finds out.
  const refused = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
  expect(refused.status).toBe(400);
  expect(refused.body.error.code).toBe('gateway_invalid_request');
  expect((await findShopper(h.stub.db, shopperId))?.customer_id).toBeNull();

  const again = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
  expect(again.status).toBe(201);
  expect((await cards(s)).map((c) => c.last4)).toEqual(['4444']);
});

it('never replaces a customer that still exists, whatever its list answers', async () => {
  const { s, shopperId, customerId } = await shopperWithCard();
  // The list alone answers 404 (as it might for a customer without cards); the customer is there.
  intercept = (url) =>
    url.pathname === `/tms/v2/customers/${customerId}/payment-instruments`
      ? Response.json(
          { errors: [{ type: 'notFound', message: 'Token not found' }] },
          { status: 404 },
        )
      : undefined;
  const r = await s.request('GET', '/api/payment-methods');
  expect(r.status).toBe(404);
  expect((await findShopper(h.stub.db, shopperId))?.customer_id).toBe(customerId);
});
