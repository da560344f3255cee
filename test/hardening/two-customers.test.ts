/**
 * A shopper with two TMS customers: a first card-keeping payment held for review (its customer
 * recorded only once accepted) while another purchase keeps a card, in a customer of its own
 * (`keepNewCard`). Their saved cards are read from both (`listPaymentMethods`).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { findShopper } from '../../server-stub/store/shoppers.ts';
import { MASTERCARD } from '../server-stub/harness.ts';
import {
  decideReview,
  editAnswers,
  type HardeningHarness,
  hardeningHarness,
  REVIEWED_CATALOG,
  SetupShopper,
} from './support.ts';

/** A third card, kept after the others. */
const VISA_2 = {
  number: '4012888888881881',
  securityCode: '123',
  expirationMonth: '10',
  expirationYear: '2032',
};

let h: HardeningHarness;
/** TMS answers these paths with this status instead (a failing or deleted customer). */
let refusing: { path: string; status: number }[] = [];

beforeEach(async () => {
  refusing = [];
  h = await hardeningHarness({
    wrapFetch: (f) =>
      editAnswers(f, (path) => {
        const hit = refusing.find((r) => path === r.path);
        if (!hit) return undefined;
        return new Response(
          JSON.stringify({ errors: [{ type: hit.status === 404 ? 'notFound' : 'serverError' }] }),
          { status: hit.status, headers: { 'content-type': 'application/json' } },
        );
      }),
    catalog: REVIEWED_CATALOG,
  });
});
afterEach(() => h.close());

/**
 * The plan, paid with Visa 1111, held for review; meanwhile a T-shirt keeps Mastercard 4444 in
 * a customer of its own (the shopper's); the review accepted, the plan's card is in the other.
 */
async function twoCustomers() {
  const shopper = new SetupShopper(h);
  const held = await shopper.payNewCard({ id: 'reviewed' });
  expect(held.body.error.code).toBe('payment_under_review');
  const other = await shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
  expect(other.status).toBe(201);
  await decideReview(h, held.body.payment.id, 'accept');
  h.clock.advance(3_600_000);
  expect((await h.stub.reconciler.runOnce()).reviews.succeeded).toBe(1);
  const plan = await findPayment(h.stub.db, held.body.payment.id);
  const planCard = String(plan?.payment_method_id);
  const shopperId = String(plan?.shopper_id);
  const own = String((await findShopper(h.stub.db, shopperId))?.customer_id);
  const rows = (await h.stub.db.query('SELECT id, customer_id FROM payment_methods')).rows as {
    id: string;
    customer_id: string;
  }[];
  const second = String(rows.find((m) => m.id === planCard)?.customer_id);
  expect(second).not.toBe(own);
  return {
    shopper,
    planCard,
    otherCard: String(other.body.paymentMethodId),
    own,
    second,
    subscriptionId: String(plan?.subscription_id),
  };
}

const listed = async (shopper: SetupShopper) => {
  const r = await shopper.request('GET', '/api/payment-methods');
  expect(r.status).toBe(200);
  return (r.body.paymentMethods as { id: string; last4: string; default: boolean }[])
    .map((m) => `${m.last4}${m.default ? ' default' : ''} ${m.id}`)
    .sort();
};

it("lists the shopper's own cards when the other customer's list fails", async () => {
  const t = await twoCustomers();
  refusing = [{ path: `/tms/v2/customers/${t.second}/payment-instruments`, status: 502 }];
  expect(await listed(t.shopper)).toEqual([`4444 default ${t.otherCard}`]);
  expect(h.logs.text).toContain("could not list the shopper's other TMS customer");
  // Nothing of it forgotten: listed again once TMS answers.
  refusing = [];
  expect(await listed(t.shopper)).toHaveLength(2);
});

it("keeps listing the other customer's cards once the shopper's own customer is gone", async () => {
  const t = await twoCustomers();
  // Deleted in the Business Center: its list and the customer itself are 404.
  refusing = [
    { path: `/tms/v2/customers/${t.own}/payment-instruments`, status: 404 },
    { path: `/tms/v2/customers/${t.own}`, status: 404 },
  ];
  const first = await listed(t.shopper);
  expect(first.map((c) => c.split(' ')[0])).toEqual(['1111']);
  expect(await listed(t.shopper)).toEqual(first);
  // That one failing too: the cards cannot be shown now, which is not "no cards".
  refusing.push({ path: `/tms/v2/customers/${t.second}/payment-instruments`, status: 502 });
  const failed = await t.shopper.request('GET', '/api/payment-methods');
  expect(failed.status).toBe(502);
  refusing.pop();
  expect(await listed(t.shopper)).toEqual(first);
});

it('shows a card kept in both customers once, the copy its subscription renews with, and removes both', async () => {
  const t = await twoCustomers();
  // Visa typed again and kept: TMS makes it anew in the shopper's own customer.
  const again = await t.shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
  expect(again.status).toBe(201);
  const visa = (await listed(t.shopper)).filter((c) => c.startsWith('1111'));
  expect(visa).toHaveLength(1);
  expect(visa[0]).toContain(t.planCard);
  // The subscription renews with it: not removed (either copy), as for any card in use.
  const refused = await t.shopper.request('DELETE', `/api/payment-methods/${t.planCard}`);
  expect([refused.status, refused.body.error.code]).toEqual([409, 'payment_method_in_use']);
  // Canceled, the card can go: both copies, so it does not come back at the next list.
  const canceled = await t.shopper.request('POST', `/api/subscriptions/${t.subscriptionId}/cancel`);
  expect(canceled.status).toBe(200);
  expect((await t.shopper.request('DELETE', `/api/payment-methods/${t.planCard}`)).status).toBe(
    204,
  );
  expect((await listed(t.shopper)).map((c) => c.split(' ')[0])).toEqual(['4444']);
  const left = await h.stub.db.query("SELECT id FROM payment_methods WHERE last4 = '1111'");
  expect(left.rows).toEqual([]);
});

it("lists both customers' cards, pays with the other one's, and lists a card kept in both once", async () => {
  const t = await twoCustomers();
  const both = [`1111 ${t.planCard}`, `4444 default ${t.otherCard}`];
  expect(await listed(t.shopper)).toEqual(both);
  // Read again: the card in the other customer was not forgotten by the first read.
  expect(await listed(t.shopper)).toEqual(both);
  const paid = await t.shopper.request('POST', '/api/checkout/payments', {
    paymentMethodId: t.planCard,
    item: { id: 'tshirt' },
  });
  expect(paid.status).toBe(201);
  // The first card typed again and kept: TMS makes it anew in the shopper's customer.
  const again = await t.shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
  expect(again.status).toBe(201);
  const cards = await listed(t.shopper);
  expect(cards.map((c) => c.split(' ')[0])).toEqual(['1111', '4444']);
  expect(cards.filter((c) => c.includes(' default '))).toHaveLength(1);
});

it('keeps a card of the other customer the default once the shopper makes it so, until a card kept since', async () => {
  const t = await twoCustomers();
  const made = await t.shopper.request('PUT', `/api/payment-methods/${t.planCard}/default`);
  expect([made.status, made.body.paymentMethod.default]).toEqual([200, true]);
  // TMS holds a default in each customer; the one chosen is shown, now and at the next list.
  const chosen = [`1111 default ${t.planCard}`, `4444 ${t.otherCard}`];
  expect(await listed(t.shopper)).toEqual(chosen);
  expect(await listed(t.shopper)).toEqual(chosen);
  // Chosen back in the shopper's own customer: that one.
  h.clock.advance(1_000);
  await t.shopper.request('PUT', `/api/payment-methods/${t.otherCard}/default`);
  expect(await listed(t.shopper)).toEqual([`1111 ${t.planCard}`, `4444 default ${t.otherCard}`]);
  // The other again, then a new card kept (its customer's default): the card just kept.
  h.clock.advance(1_000);
  await t.shopper.request('PUT', `/api/payment-methods/${t.planCard}/default`);
  h.clock.advance(1_000);
  const kept = await t.shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, VISA_2);
  expect(kept.status).toBe(201);
  expect((await listed(t.shopper)).filter((c) => c.includes(' default '))).toEqual([
    `1881 default ${kept.body.paymentMethodId}`,
  ]);
});

it('keeps a card kept in both customers the default once chosen, whichever copy is shown', async () => {
  const t = await twoCustomers();
  // Visa typed again and kept: a copy in each customer, shown as the plan's (it renews with it).
  expect((await t.shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true })).status).toBe(
    201,
  );
  h.clock.advance(1_000);
  await t.shopper.request('PUT', `/api/payment-methods/${t.otherCard}/default`);
  expect(await listed(t.shopper)).toEqual([`1111 ${t.planCard}`, `4444 default ${t.otherCard}`]);
  h.clock.advance(1_000);
  const made = await t.shopper.request('PUT', `/api/payment-methods/${t.planCard}/default`);
  expect(made.status).toBe(200);
  expect(await listed(t.shopper)).toEqual([`1111 default ${t.planCard}`, `4444 ${t.otherCard}`]);
});
