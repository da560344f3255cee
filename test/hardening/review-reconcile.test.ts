/**
 * Payments held for review (server-stub/reconcile/review.ts): the reconciler looks them up again
 * every RECONCILE_REVIEW_AFTER_SECONDS; a review accepted in the Business Center (the emulator's
 * `POST /__emulator/reviews/{id}`) finishes the payment like any approval found by lookup (a
 * renewal advances its period, a first subscription payment starts the subscription), a rejected
 * one declines it (a renewal goes through the retry schedule), and one still open stays `review`.
 * A renewal under review never blocks its subscription for good.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reconcileSettingsFromEnv } from '../../server-stub/reconcile/settings.ts';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { admin, newKey } from '../server-stub/harness.ts';
import {
  decideReview,
  editTransactionDetails,
  type HardeningHarness,
  hardeningHarness,
  REVIEWED,
  REVIEWED_CATALOG,
  SetupShopper,
} from './support.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
let h: HardeningHarness;
/** How the Business Center's record shows the decision, where the emulator's cannot. */
let recorded: ((details: Record<string, any>) => void) | undefined;
beforeEach(async () => {
  recorded = undefined;
  h = await hardeningHarness({
    wrapFetch: (f) => editTransactionDetails(f, (body) => recorded?.(body)),
    catalog: REVIEWED_CATALOG,
  });
});
afterEach(() => h.close());

const decide = (paymentId: string, decision: 'accept' | 'reject') =>
  decideReview(h, paymentId, decision);

/** The decision's record shows `status` from now on. */
function showStatus(status: string) {
  recorded = (details) => {
    details.status = status;
  };
}

async function subscription(id: string) {
  return (await admin(h)('GET', `/api/admin/subscriptions/${id}`)).body.subscription;
}

/** Less the Flex v1 key a session asks for in the background (it can arrive late under load). */
const upstreamSince = (from: number) =>
  h.emulator.state.requests
    .list()
    .slice(from)
    .map((r) => `${r.method} ${r.path.replace(/\d{22}/, '{id}')}`)
    .filter((call) => call !== 'POST /flex/v1/keys');

/** A subscription whose renewal of period 2 Decision Manager holds for review (2203.00). */
async function renewalUnderReview() {
  const started = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  const id: string = started.body.subscription.id;
  await h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [id, REVIEWED]);
  h.clock.advance(31 * DAY);
  expect((await renewDue(h.stub)).held).toEqual([id]);
  const r = await h.stub.db.query(
    `SELECT id FROM payments WHERE subscription_id = $1 AND kind = 'renewal'`,
    [id],
  );
  const paymentId = (r.rows[0] as { id: string }).id;
  expect((await findPayment(h.stub.db, paymentId))?.status).toBe('review');
  // The price is back to normal for the periods after it.
  await h.stub.db.query('UPDATE subscriptions SET amount = 900 WHERE id = $1', [id]);
  return { id, paymentId, periodEnd: (await subscription(id)).currentPeriodEnd as string };
}

describe('payments held for review', () => {
  it('looks a review up only every RECONCILE_REVIEW_AFTER_SECONDS and leaves it while still held', async () => {
    const { id, paymentId } = await renewalUnderReview();
    // renew-due leaves it to the reconciler instead of failing renewal_in_progress forever.
    expect(await renewDue(h.stub)).toMatchObject({ held: [], failed: [], declined: [] });

    const from = h.emulator.state.requests.list().length;
    await h.stub.reconciler.runOnce();
    expect(upstreamSince(from)).toEqual([]);

    h.clock.advance(HOUR + 1000);
    const report = await h.stub.reconciler.runOnce();
    expect(report.reviews).toMatchObject({ review: 1, succeeded: 0, declined: 0 });
    expect(upstreamSince(from)).toEqual(['POST /tss/v2/searches', 'GET /tss/v2/transactions/{id}']);
    const row = await findPayment(h.stub.db, paymentId);
    expect(row).toMatchObject({ status: 'review', decline_reason: 'DECISION_PROFILE_REVIEW' });
    expect(row?.updated_at.getTime()).toBe(h.clock.ms);
    // Checked just now: the next pass does not ask again.
    const again = h.emulator.state.requests.list().length;
    await h.stub.reconciler.runOnce();
    expect(upstreamSince(again)).toEqual([]);
    // The panel shows the renewal under review, not a next attempt already overdue (renew-due
    // makes none while it stands), in the subscription and in the list.
    const held = {
      currentPeriod: 1,
      renewal: { nextAttemptAt: null, inFlight: { paymentId, period: 2, status: 'review' } },
    };
    expect(await subscription(id)).toMatchObject(held);
    const list = await admin(h)('GET', '/api/admin/subscriptions');
    expect(list.body.subscriptions.find((s: { id: string }) => s.id === id)).toMatchObject(held);
  });

  it('advances the period when the renewal is accepted, and renew-due carries on after it', async () => {
    const { id, paymentId, periodEnd } = await renewalUnderReview();
    await decide(paymentId, 'accept');
    h.clock.advance(HOUR);
    const report = await h.stub.reconciler.runOnce();
    expect(report.reviews.succeeded).toBe(1);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({ status: 'succeeded' });
    expect(await subscription(id)).toMatchObject({
      status: 'active',
      currentPeriod: 2,
      currentPeriodStart: periodEnd,
      renewal: { inFlight: null },
    });
    // No payment call from the reconciler: the sale exists, it is only recorded.
    expect(
      h.emulator.state.payments.all('testrest').filter((t) => t.kind === 'payment'),
    ).toHaveLength(2);

    h.clock.advance(31 * DAY);
    expect((await renewDue(h.stub)).renewed).toEqual([id]);
    expect((await subscription(id)).currentPeriod).toBe(3);
  });

  it('counts nothing for an early "renew now" rejected in review after the period ended: attempt 1 comes at the end', async () => {
    const started = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
    const id: string = started.body.subscription.id;
    await h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [id, REVIEWED]);
    h.clock.advance(10 * DAY); // 20 days of the paid month left
    const early = await admin(h)('POST', `/api/admin/subscriptions/${id}/renewals`, { period: 2 });
    expect([early.status, early.body.error?.code]).toEqual([202, 'payment_under_review']);
    const held = await h.stub.db.query(
      `SELECT id FROM payments WHERE subscription_id = $1 AND kind = 'renewal'`,
      [id],
    );
    const renewal = (held.rows[0] as { id: string }).id;
    // The reviewer decides after the period has ended.
    h.clock.advance(25 * DAY);
    await decide(renewal, 'reject');
    expect((await h.stub.reconciler.runOnce()).reviews.declined).toBe(1);
    // Sent while the shopper was paid up: not an attempt of the schedule, whenever refused.
    expect(await subscription(id)).toMatchObject({
      status: 'active',
      renewal: { attempts: 0, lastFailureReason: null },
    });
    await h.stub.db.query('UPDATE subscriptions SET amount = 900 WHERE id = $1', [id]);
    expect((await renewDue(h.stub)).renewed).toEqual([id]);
  });

  it.each([
    ['rejected by the reviewer', undefined],
    ['whose authorization is found VOIDED', 'VOIDED'],
    ['whose authorization is found CANCELLED', 'CANCELLED'],
  ])(
    'declines a renewal in review %s and treats it as a declined renewal (no retry)',
    async (_, status) => {
      const { id, paymentId } = await renewalUnderReview();
      if (status) showStatus(status);
      else await decide(paymentId, 'reject');
      h.clock.advance(HOUR);
      expect((await h.stub.reconciler.runOnce()).reviews.declined).toBe(1);
      expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
        status: 'declined',
        decline_reason: 'REVIEW_REJECTED',
      });
      expect(await subscription(id)).toMatchObject({
        status: 'unpaid',
        currentPeriod: 1,
        renewal: { attempts: 1, lastFailureReason: 'REVIEW_REJECTED' },
      });
      h.clock.advance(8 * DAY);
      expect(await renewDue(h.stub)).toMatchObject({ renewed: [], declined: [], held: [] });
    },
  );

  it("keeps the issuer's soft reason of a renewal declined after review: past_due, tried again a day later", async () => {
    const { id, paymentId } = await renewalUnderReview();
    recorded = (details) => {
      details.status = 'DECLINED';
      details.errorInformation = { reason: 'INSUFFICIENT_FUND' };
    };
    h.clock.advance(HOUR);
    expect((await h.stub.reconciler.runOnce()).reviews.declined).toBe(1);
    const row = await findPayment(h.stub.db, paymentId);
    expect(row).toMatchObject({ status: 'declined', decline_reason: 'INSUFFICIENT_FUND' });
    expect(await subscription(id)).toMatchObject({
      status: 'past_due',
      renewal: {
        attempts: 1,
        lastFailureReason: 'INSUFFICIENT_FUND',
        // Counted when the decline is recorded: the retry is a day after the decision.
        nextAttemptAt: new Date(h.clock.ms + DAY).toISOString(),
      },
    });
  });

  it('reverses the authorization of a review that ends AUTHORIZED_RISK_DECLINED (the issuer still holds the amount)', async () => {
    const { paymentId } = await renewalUnderReview();
    showStatus('AUTHORIZED_RISK_DECLINED');
    h.clock.advance(HOUR);
    const from = h.emulator.state.requests.list().length;
    await h.stub.reconciler.runOnce();
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      status: 'declined',
      auth_hold: 'released',
    });
    expect(upstreamSince(from)).toContain('POST /pts/v2/payments/{id}/reversals');
  });

  it('starts the subscription and keeps the card when a first payment is accepted after review', async () => {
    const shopper = new SetupShopper(h);
    const session = await shopper.session();
    const transientToken = await shopper.token(session.captureContext);
    const body = { sessionId: session.sessionId, transientToken, item: { id: 'reviewed' } };
    const key = { 'idempotency-key': newKey() };
    const held = await shopper.request('POST', '/api/checkout/payments', body, key);
    expect([held.status, held.body.error.code]).toEqual([202, 'payment_under_review']);
    const paymentId: string = held.body.payment.id;

    await decide(paymentId, 'accept');
    h.clock.advance(HOUR);
    expect((await h.stub.reconciler.runOnce()).reviews.succeeded).toBe(1);

    const row = await findPayment(h.stub.db, paymentId);
    expect(row).toMatchObject({ status: 'succeeded', period: 1 });
    expect(row?.subscription_id).toMatch(/^sub_/);
    expect(await subscription(row?.subscription_id ?? '')).toMatchObject({
      status: 'active',
      currentPeriod: 1,
      paymentMethodId: row?.payment_method_id,
    });
    const methods = (await shopper.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(methods.map((m: { id: string }) => m.id)).toEqual([row?.payment_method_id]);
    // The shopper's retry with the same key learns the outcome instead of "under review".
    const replay = await shopper.request('POST', '/api/checkout/payments', body, key);
    expect(replay.status).toBe(201);
    expect(replay.body.subscription.id).toBe(row?.subscription_id);
  });

  it('refuses the same item again while its payment is under review, but sells the shopper something else', async () => {
    const shopper = new SetupShopper(h);
    const held = await shopper.request(
      'POST',
      '/api/checkout/payments',
      await shopper.newCardBody({ id: 'reviewed' }),
    );
    expect(held.body.error.code).toBe('payment_under_review');
    // The shopper reloads and buys the plan again: no second plan, no second charge.
    const again = await shopper.payNewCard({ id: 'reviewed' });
    expect([again.status, again.body.error.code]).toEqual([409, 'payment_in_progress']);
    // Something else is another purchase: a review can take days, and the shop stays open.
    const other = await shopper.payNewCard({ id: 'tshirt' });
    expect(other.status).toBe(201);
    // And the plan, a third time, while the T-shirt is paid: still the review's to decide.
    const third = await shopper.payNewCard({ id: 'reviewed' });
    expect(third.body.error.code).toBe('payment_in_progress');
    await decide(held.body.payment.id, 'accept');
    h.clock.advance(HOUR);
    await h.stub.reconciler.runOnce();
    const subs = await h.stub.db.query(`SELECT 1 FROM subscriptions WHERE plan_id = 'reviewed'`);
    expect(subs.rows).toHaveLength(1);
    const paid = await h.stub.db.query(
      `SELECT item_id FROM payments WHERE status = 'succeeded' ORDER BY item_id`,
    );
    expect(paid.rows).toEqual([{ item_id: 'reviewed' }, { item_id: 'tshirt' }]);
  });

  it('declines a one-time payment rejected in review, and answers its key with the decline', async () => {
    const shopper = new SetupShopper(h);
    const session = await shopper.session();
    const transientToken = await shopper.token(session.captureContext);
    const body = {
      sessionId: session.sessionId,
      transientToken,
      item: { id: 'donation', amount: REVIEWED },
    };
    const key = { 'idempotency-key': newKey() };
    const held = await shopper.request('POST', '/api/checkout/payments', body, key);
    expect(held.status).toBe(202);
    await decide(held.body.payment.id, 'reject');
    h.clock.advance(HOUR);
    expect((await h.stub.reconciler.runOnce()).reviews.declined).toBe(1);
    const replay = await shopper.request('POST', '/api/checkout/payments', body, key);
    expect([replay.status, replay.body.error.code, replay.body.error.reason]).toEqual([
      402,
      'card_declined',
      'REVIEW_REJECTED',
    ]);
  });

  it('still finds a payment decided in review weeks later (the search reaches back to its day)', async () => {
    const held = await new SetupShopper(h).payNewCard({ id: 'donation', amount: REVIEWED });
    expect(held.status).toBe(202);
    await decide(held.body.payment.id, 'accept');
    // Past the official sample's 7-day search window.
    h.clock.advance(20 * DAY);
    expect((await h.stub.reconciler.runOnce()).reviews.succeeded).toBe(1);
    expect((await findPayment(h.stub.db, held.body.payment.id))?.status).toBe('succeeded');
  });

  it('refuses the plan again while a renewal of the subscription canceled meanwhile is under review', async () => {
    // The shopper cancels during the review and buys the plan again: approved later, the old
    // renewal pays the same month the new purchase would.
    const shopper = new SetupShopper(h);
    const started = await shopper.payNewCard({ id: 'pro-monthly' });
    const id: string = started.body.subscription.id;
    await h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [id, REVIEWED]);
    h.clock.advance(31 * DAY);
    expect((await renewDue(h.stub)).held).toEqual([id]);
    const canceled = await admin(h)('POST', `/api/admin/subscriptions/${id}/cancel`, {});
    expect(canceled.body.renewalInFlight).toMatchObject({ status: 'review' });
    const rebuy = await shopper.payNewCard({ id: 'pro-monthly' });
    expect([rebuy.status, rebuy.body.error.code]).toEqual([409, 'payment_in_progress']);
    // Rejected, nothing was paid for that month: the plan sells again.
    await decide(
      (
        await h.stub.db.query(
          `SELECT id FROM payments WHERE subscription_id = $1 AND kind = 'renewal'`,
          [id],
        )
      ).rows.map((r) => (r as { id: string }).id)[0] ?? '',
      'reject',
    );
    h.clock.advance(HOUR);
    await h.stub.reconciler.runOnce();
    expect((await shopper.payNewCard({ id: 'pro-monthly' })).status).toBe(201);
  });

  it('reads RECONCILE_REVIEW_AFTER_SECONDS from the environment', () => {
    expect(reconcileSettingsFromEnv({}).reviewAfterMs).toBe(HOUR);
    expect(reconcileSettingsFromEnv({ RECONCILE_REVIEW_AFTER_SECONDS: '600' }).reviewAfterMs).toBe(
      600_000,
    );
    expect(() => reconcileSettingsFromEnv({ RECONCILE_REVIEW_AFTER_SECONDS: 'later' })).toThrow(
      /RECONCILE_REVIEW_AFTER_SECONDS/,
    );
  });
});
