/**
 * A plan's first payment approved whose subscription could not be written (a database error
 * right after the approval): the answer says charged; the reconciler starts the subscription
 * from that payment a minute on (`reconcile/plan-start.ts`), and the shopper's next purchase of
 * the plan, if it comes first, does the same instead of charging again (`checkout/pay.ts`).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { claimRemoval, releaseRemoval } from '../../server-stub/store/payment-method-removal.ts';
import { admin, MASTERCARD, TEST_CATALOG, upstreamCalls } from '../server-stub/harness.ts';
import {
  armFault,
  editAnswers,
  type FailingStore,
  type HardeningHarness,
  hardeningHarness,
  harnessFailingOnce,
  SetupShopper,
} from './support.ts';

let h: HardeningHarness;
let store: FailingStore;

beforeEach(async () => {
  ({ h, store } = await harnessFailingOnce('INSERT INTO subscriptions'));
});
afterEach(() => h.close());

/** The shopper a payment answer was made for, from its row. */
const shopperIdOf = (paid: { body: { payment: { id: string } } }) =>
  h.stub.db
    .query('SELECT shopper_id FROM payments WHERE id = $1', [paid.body.payment.id])
    .then((r) => String((r.rows[0] as { shopper_id: string }).shopper_id));

const sales = async () =>
  (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments')
    .length;

/** A plan paid whose subscription's write failed: the answer (201, no subscription), and the card kept. */
async function paidWithoutSubscription(shopper: SetupShopper) {
  store.arm();
  const paid = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(store.armed()).toBe(false);
  expect([paid.status, paid.body.payment.status]).toEqual([201, 'succeeded']);
  expect(paid.body).not.toHaveProperty('subscription');
  const [card] = (await shopper.request('GET', '/api/payment-methods')).body.paymentMethods;
  return { paid, card };
}

it('starts the subscription from the paid payment on the next purchase, with no second sale', async () => {
  const shopper = new SetupShopper(h);
  const firstAt = h.clock.now();
  store.arm();
  const first = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(store.armed()).toBe(false);
  expect(first.status).toBe(201);
  expect(first.body.payment.status).toBe('succeeded');
  expect(first.body).not.toHaveProperty('subscription');
  const before = await sales();

  // A saved card or a new one: either way the plan is already paid for. Ten days later, the
  // month it paid for still runs from that payment: the ten days are not given free.
  h.clock.advance(10 * 86_400_000);
  const again = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(again.status).toBe(201);
  expect(again.body.payment.id).toBe(first.body.payment.id);
  const paidAt = firstAt;
  const monthAfter = new Date(paidAt);
  monthAfter.setUTCMonth(monthAfter.getUTCMonth() + 1);
  expect(again.body.subscription).toMatchObject({
    planId: 'pro-monthly',
    status: 'active',
    currentPeriod: 1,
    currentPeriodStart: paidAt.toISOString(),
    currentPeriodEnd: monthAfter.toISOString(),
  });
  expect(await sales()).toBe(before);
  expect(h.logs.text).toContain('its subscription never started; starting it from that payment');

  // Now started: a third purchase is refused as a second live subscription.
  const third = await shopper.payNewCard({ id: 'pro-monthly' });
  expect([third.status, third.body.error.code]).toEqual([409, 'already_subscribed']);
});

it('is started by the reconciler a minute on, from the payment, with no second sale', async () => {
  const shopper = new SetupShopper(h);
  const paidAt = h.clock.now();
  const { paid: first } = await paidWithoutSubscription(shopper);
  const sold = await sales();

  // Not while the request that was charged could still be finishing it.
  h.clock.advance(60_000);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 0, given_up: 0 });
  h.clock.advance(60_000);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 1, given_up: 0 });
  const monthAfter = new Date(paidAt);
  monthAfter.setUTCMonth(monthAfter.getUTCMonth() + 1);
  const mine = await shopper.request('GET', '/api/subscriptions');
  expect(mine.body.subscriptions).toEqual([
    expect.objectContaining({
      planId: 'pro-monthly',
      status: 'active',
      currentPeriod: 1,
      currentPeriodStart: paidAt.toISOString(),
      currentPeriodEnd: monthAfter.toISOString(),
    }),
  ]);
  const [subscription] = mine.body.subscriptions;
  const payment = await admin(h)('GET', `/api/admin/payments/${first.body.payment.id}`);
  expect(payment.body.payment).toMatchObject({ subscriptionId: subscription.id, period: 1 });
  expect(await sales()).toBe(sold);
  expect(h.logs.text).toContain('started it from that payment, no new charge');

  // Once: the next pass finds nothing, and buying the plan again is a second subscription.
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 0, given_up: 0 });
  const again = await shopper.payNewCard({ id: 'pro-monthly' });
  expect([again.status, again.body.error.code]).toEqual([409, 'already_subscribed']);
  expect(await sales()).toBe(sold);
});

it('is given up once, for an operator, when the card it kept was removed', async () => {
  const shopper = new SetupShopper(h);
  const { paid, card } = await paidWithoutSubscription(shopper);
  const shown = async () =>
    (await admin(h)('GET', `/api/admin/payments/${paid.body.payment.id}`)).body.payment;
  expect((await shown()).planStartGivenUpAt).toBeNull();
  // Past the hour a paid plan holds its card for, the shopper removes it.
  h.clock.advance(2 * 3_600_000);
  expect((await shopper.request('DELETE', `/api/payment-methods/${card.id}`)).status).toBe(204);

  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 0, given_up: 1 });
  // The merchant's panel says so too.
  expect((await shown()).planStartGivenUpAt).toBe(h.clock.now().toISOString());
  const giveUp = 'it cannot start from that payment: refund it';
  expect(h.logs.text.split(giveUp)).toHaveLength(2);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 0, given_up: 0 });
  expect(h.logs.text.split(giveUp)).toHaveLength(2);
  expect((await shopper.request('GET', '/api/subscriptions')).body.subscriptions).toEqual([]);
});

it('lets a canceled subscription be resumed beside a purchase of its plan that was given up (it will never start one)', async () => {
  const shopper = new SetupShopper(h);
  const sub = (await shopper.payNewCard({ id: 'pro-monthly' })).body.subscription;
  await shopper.request('POST', `/api/subscriptions/${sub.id}/cancel`);
  const resume = () => shopper.request('POST', `/api/subscriptions/${sub.id}/resume`);
  h.clock.advance(60_000);
  // Bought again with another card, its subscription's write failed: that payment is starting one.
  store.arm();
  const again = await shopper.payNewCard({ id: 'pro-monthly' }, {}, MASTERCARD);
  expect([again.status, again.body.subscription]).toEqual([201, undefined]);
  const refused = await resume();
  expect([refused.status, refused.body.error.details?.reason]).toEqual([409, 'subscribed_again']);
  // Its card removed, the purchase is given up for an operator to refund: it starts nothing.
  h.clock.advance(2 * 3_600_000);
  const { paymentMethods } = (await shopper.request('GET', '/api/payment-methods')).body;
  const kept = paymentMethods.find((m: { id: string }) => m.id !== sub.paymentMethodId);
  expect((await shopper.request('DELETE', `/api/payment-methods/${kept.id}`)).status).toBe(204);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ given_up: 1 });
  const resumed = await resume();
  expect([resumed.status, resumed.body.subscription?.status]).toEqual([200, 'active']);
});

it('waits while a removal holds the card, and starts it once TMS refused the removal', async () => {
  const shopper = new SetupShopper(h);
  const { paid: first, card } = await paidWithoutSubscription(shopper);
  // Past the hour a paid plan holds its card for, a removal in another tab claims it.
  h.clock.advance(2 * 3_600_000);
  const claim = await claimRemoval(h.stub.db, await shopperIdOf(first), card.id, h.clock.now());
  if (!('claimed' in claim)) throw new Error('the removal did not claim the card');
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ retrying: 1, given_up: 0 });
  expect(h.logs.text).not.toContain('refund it');
  // TMS refused the delete: the card stays, and the next pass after the wait starts the plan.
  await releaseRemoval(h.stub.db, card.id, claim.claimed.removing_since ?? h.clock.now());
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 0, retrying: 0 });
  h.clock.advance(4 * 60_000);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 1 });
  const [subscription] = (await shopper.request('GET', '/api/subscriptions')).body.subscriptions;
  expect(subscription).toMatchObject({ planId: 'pro-monthly', paymentMethodId: card.id });
});

it('starts it on a card whose removal claim has lapsed (its delete unanswered, TMS kept the card)', async () => {
  const shopper = new SetupShopper(h);
  const { paid, card } = await paidWithoutSubscription(shopper);
  h.clock.advance(2 * 3_600_000);
  // A removal whose delete's answer was lost leaves its claim until it lapses, 5 minutes on.
  const claim = await claimRemoval(h.stub.db, await shopperIdOf(paid), card.id, h.clock.now());
  expect(claim).toHaveProperty('claimed');
  h.clock.advance(10 * 60_000);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 1 });
});

it('starts it with the card the shopper had saved before and typed again', async () => {
  const shopper = new SetupShopper(h);
  const saved = await shopper.payNewCard(
    { id: 'donation', amount: 1000 },
    { savePaymentMethod: true },
  );
  expect(saved.status).toBe(201);
  h.clock.advance(60_000);
  store.arm();
  // The same card again: TMS's new duplicate is deleted, the saved copy kept.
  const first = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(first.body).not.toHaveProperty('subscription');
  h.clock.advance(4 * 60_000);
  expect((await h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 1, given_up: 0 });
  const [subscription] = (await shopper.request('GET', '/api/subscriptions')).body.subscriptions;
  expect(subscription.paymentMethodId).toBe(saved.body.paymentMethodId);
});

it('puts a payment it cannot start yet behind the others', async () => {
  const small = await harnessFailingOnce('INSERT INTO subscriptions', {
    reconcile: { afterMs: 60_000, intervalMs: 0, batch: 1 },
  });
  try {
    const pay = async () => {
      small.store.arm();
      const r = await new SetupShopper(small.h).payNewCard({ id: 'pro-monthly' });
      expect(r.body).not.toHaveProperty('subscription');
      return String(r.body.payment.id);
    };
    const stuck = await pay();
    small.h.clock.advance(1_000);
    const next = await pay();
    // As if the charged request died before recording the card: Transaction Details names it,
    // and Transaction Details cannot be read.
    const [row] = (
      await small.h.stub.db.query(
        'UPDATE payments SET payment_method_id = NULL WHERE id = $1 RETURNING cybersource_id',
        [stuck],
      )
    ).rows as { cybersource_id: string }[];
    await armFault(small.h, {
      method: 'GET',
      path: `/tss/v2/transactions/${row?.cybersource_id}`,
      fault: '502',
      times: 100,
    });
    small.h.clock.advance(4 * 60_000);
    expect((await small.h.stub.reconciler.runOnce()).plans).toMatchObject({ retrying: 1 });
    small.h.clock.advance(4 * 60_000);
    expect((await small.h.stub.reconciler.runOnce()).plans).toMatchObject({ started: 1 });
    const started = await small.h.stub.db.query(
      'SELECT id FROM payments WHERE subscription_id IS NOT NULL',
    );
    expect(started.rows).toEqual([{ id: next }]);
  } finally {
    await small.h.close();
  }
});

it('starts a plan whose approval carried no network transaction id at once, TMS down or not; late, once TMS answers', async () => {
  // Sales answered without a network transaction id, as some processors' answers are.
  let tmsDown = true;
  const noNetworkId = await harnessFailingOnce('INSERT INTO subscriptions', {
    wrapFetch: (f) =>
      editAnswers(f, (path, body) => {
        if (path === '/pts/v2/payments' && body.processorInformation) {
          delete body.processorInformation.networkTransactionId;
          delete body.processorInformation.transactionId;
        }
        if (tmsDown && path.startsWith('/tms/v1/instrumentidentifiers/'))
          return new Response('{"errors":[{"type":"serverError"}]}', {
            status: 502,
            headers: { 'content-type': 'application/json' },
          });
        return undefined;
      }),
  });
  const bare = noNetworkId.h;
  try {
    // The shopper waits: TMS unreadable, the subscription starts without an id, and its renewal
    // names the saved card alone (CyberSource cites the id TMS keeps).
    const now = await new SetupShopper(bare).payNewCard({ id: 'pro-monthly' });
    expect([now.status, now.body.payment.status]).toEqual([201, 'succeeded']);
    expect(now.body.subscription).toMatchObject({ status: 'active', planId: 'pro-monthly' });
    const renewed = await admin(bare)(
      'POST',
      `/api/admin/subscriptions/${now.body.subscription.id}/renewals`,
      { period: 2 },
    );
    expect([renewed.status, renewed.body.payment.status]).toEqual([201, 'succeeded']);

    // Its subscription's write failed: the reconciler waits for TMS, then starts it citing TMS's id.
    noNetworkId.store.arm();
    const late = await new SetupShopper(bare).payNewCard({ id: 'pro-monthly' });
    expect([late.status, late.body.payment.status]).toEqual([201, 'succeeded']);
    expect(late.body).not.toHaveProperty('subscription');
    bare.clock.advance(4 * 60_000);
    expect((await bare.stub.reconciler.runOnce()).plans).toMatchObject({ retrying: 1 });
    tmsDown = false;
    bare.clock.advance(4 * 60_000);
    expect((await bare.stub.reconciler.runOnce()).plans).toMatchObject({ started: 1 });
    const row = await bare.stub.db.query(
      `SELECT p.plan_start_given_up_at, s.network_transaction_id FROM payments p
         JOIN subscriptions s ON s.id = p.subscription_id WHERE p.id = $1`,
      [late.body.payment.id],
    );
    expect(row.rows[0]).toMatchObject({
      plan_start_given_up_at: null,
      network_transaction_id: expect.stringMatching(/^\d+$/),
    });
  } finally {
    await bare.close();
  }
});

it('starts a plan with no network transaction id anywhere; its renewal, refused for want of one, names the field and charges nothing', async () => {
  const noId = await hardeningHarness({
    wrapFetch: (f) =>
      editAnswers(f, (path, body) => {
        if (path === '/pts/v2/payments' && body.processorInformation?.approvalCode) {
          delete body.processorInformation.networkTransactionId;
          delete body.processorInformation.transactionId;
        }
        if (path.startsWith('/tms/v1/instrumentidentifiers/')) delete body.processingInformation;
        return undefined;
      }),
  });
  try {
    const paid = await new SetupShopper(noId).payNewCard({ id: 'pro-monthly' });
    expect([paid.status, paid.body.payment.status]).toEqual([201, 'succeeded']);
    expect(paid.body.subscription).toMatchObject({ status: 'active' });
    expect(noId.logs.text).toContain('no network transaction id on the payment or in TMS');
    // TMS keeps none either (the emulator's own record, cleared): CyberSource has none to cite.
    for (const ii of noId.emulator.state.tms.instrumentIdentifiers.values())
      delete ii.previousTransactionId;
    const renewed = await admin(noId)(
      'POST',
      `/api/admin/subscriptions/${paid.body.subscription.id}/renewals`,
      { period: 2 },
    );
    // The merchant is told which field CyberSource wanted; nothing was charged, and the period
    // the shopper paid for runs on.
    expect([renewed.status, renewed.body.error.code, renewed.body.error.details]).toEqual([
      400,
      'gateway_invalid_request',
      [
        {
          field:
            'processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId',
          reason: 'MISSING_FIELD',
        },
      ],
    ]);
    const panel = await admin(noId)('GET', `/api/admin/subscriptions/${paid.body.subscription.id}`);
    expect(panel.body.subscription).toMatchObject({ status: 'active', currentPeriod: 1 });
  } finally {
    await noId.close();
  }
});

it('charges as usual once that payment was refunded', async () => {
  const shopper = new SetupShopper(h);
  store.arm();
  const first = await shopper.payNewCard({ id: 'pro-monthly' });
  const refunded = await admin(h)(
    'POST',
    `/api/admin/payments/${first.body.payment.id}/refunds`,
    {},
  );
  expect(refunded.status).toBe(201);
  const before = await sales();
  const again = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(again.status).toBe(201);
  expect(again.body.payment.id).not.toBe(first.body.payment.id);
  expect(again.body.subscription.status).toBe('active');
  expect(await sales()).toBe(before + 1);
});

it('starts nothing from a card a removal holds: the purchase is charged, and kept anew', async () => {
  const shopper = new SetupShopper(h);
  store.arm();
  const first = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(first.body).not.toHaveProperty('subscription');
  const [card] = (await h.stub.db.query('SELECT id, shopper_id FROM payment_methods')).rows as {
    id: string;
    shopper_id: string;
  }[];
  if (!card) throw new Error('the card was not kept');
  // Past the hour a paid plan holds its card for, a removal in another tab claims it.
  h.clock.advance(2 * 3_600_000);
  const claim = await claimRemoval(h.stub.db, card.shopper_id, card.id, h.clock.now());
  expect(claim).toHaveProperty('claimed');
  const before = await sales();
  const again = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(again.status).toBe(201);
  expect(again.body.payment.id).not.toBe(first.body.payment.id);
  expect(again.body.subscription).toMatchObject({ status: 'active' });
  expect(again.body.subscription.paymentMethodId).not.toBe(card.id);
  expect(await sales()).toBe(before + 1);
  // The earlier payment stays paid without its subscription: an operator is told to refund it.
  expect(h.logs.text).toContain('charging this purchase anew (refund that payment)');
});

it("starts a two-year plan's subscription from its payment more than a year later, with no second sale", async () => {
  const biennial = {
    id: 'pro-biennial',
    name: 'Pro, two years',
    amount: 15_000,
    interval: 'year',
    intervalCount: 2,
  } as const;
  const long = await harnessFailingOnce('INSERT INTO subscriptions', {
    catalog: { ...TEST_CATALOG, plans: [...TEST_CATALOG.plans, biennial] },
  });
  try {
    const shopper = new SetupShopper(long.h);
    long.store.arm();
    const first = await shopper.payNewCard({ id: 'pro-biennial' });
    expect(first.body.payment.status).toBe('succeeded');
    expect(first.body).not.toHaveProperty('subscription');
    const sold = (await upstreamCalls(long.h)).filter((c) => c.path === '/pts/v2/payments').length;
    // 400 days on, the two years it paid for still run.
    long.h.clock.advance(400 * 86_400_000);
    const again = await shopper.payNewCard({ id: 'pro-biennial' });
    expect(again.body.payment.id).toBe(first.body.payment.id);
    expect(again.body.subscription).toMatchObject({ planId: 'pro-biennial', currentPeriod: 1 });
    expect((await upstreamCalls(long.h)).filter((c) => c.path === '/pts/v2/payments')).toHaveLength(
      sold,
    );
  } finally {
    await long.h.close();
  }
});
