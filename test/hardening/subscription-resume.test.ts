/**
 * Taking a cancellation back (server-stub/README.md "Taking a cancellation back") where it must
 * not, or must, despite what happened in between: a period the merchant refunded, a cancellation
 * the merchant made, a renewal approved after the cancellation whose period was never advanced,
 * and a refunded purchase of the plan that never started its subscription.
 */
import { afterEach, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { admin } from '../server-stub/harness.ts';
import {
  armFault,
  type FailingStore,
  type HardeningHarness,
  hardeningHarness,
  harnessFailingOnce,
  SetupShopper,
} from './support.ts';

const DAY = 86_400_000;
/** Decision Manager holds a sale of 2203.00 for a person's review (the emulator's trigger). */
const REVIEWED = 220_300;
let h: HardeningHarness;
afterEach(() => h.close());

async function subscribed() {
  const shopper = new SetupShopper(h);
  const r = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(r.status).toBe(201);
  return {
    shopper,
    id: r.body.subscription.id as string,
    paymentId: r.body.payment.id as string,
    paymentMethodId: r.body.subscription.paymentMethodId as string,
  };
}

const resume = (shopper: SetupShopper, id: string) =>
  shopper.request('POST', `/api/subscriptions/${id}/resume`);
const refusal = (r: { status: number; body: { error?: { code: string; details?: unknown } } }) => [
  r.status,
  r.body.error?.code,
  (r.body.error?.details as { reason?: string } | undefined)?.reason,
];

it('refuses a period the merchant refunded: the shopper buys the plan again, and nothing renews', async () => {
  h = await hardeningHarness();
  const { shopper, id, paymentId } = await subscribed();
  await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  expect((await admin(h)('POST', `/api/admin/payments/${paymentId}/refunds`)).status).toBe(201);
  h.clock.advance(DAY);
  expect(refusal(await resume(shopper, id))).toEqual([
    409,
    'subscription_not_resumable',
    'period_refunded',
  ]);
  // Not the merchant's either: the period was given back.
  const merchant = await admin(h)('POST', `/api/admin/subscriptions/${id}/resume`);
  expect(refusal(merchant)).toEqual([409, 'subscription_not_resumable', 'period_refunded']);
  h.clock.advance(31 * DAY);
  expect((await renewDue(h.stub)).renewed).toEqual([]);
});

it('does not take a refund still being confirmed for a refunded period', async () => {
  h = await hardeningHarness();
  const { shopper, id, paymentId } = await subscribed();
  await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  // The refund's answer is lost (a 502) and CyberSource never processed it: the reconciler may
  // yet find it never happened, so the period is not "refunded, buy again".
  await armFault(h, {
    method: 'POST',
    path: `/pts/v2/payments/${(await findPayment(h.stub.db, paymentId))?.cybersource_id}/refunds`,
    fault: '502',
    processed: false,
  });
  const refund = await admin(h)('POST', `/api/admin/payments/${paymentId}/refunds`);
  expect([refund.status, refund.body.error?.code]).toEqual([202, 'refund_outcome_unknown']);
  expect((await resume(shopper, id)).body.subscription?.status).toBe('active');
});

it('resumes a period refunded in part (a goodwill credit), which stays paid', async () => {
  h = await hardeningHarness();
  const { shopper, id, paymentId } = await subscribed();
  await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  const part = await admin(h)('POST', `/api/admin/payments/${paymentId}/refunds`, { amount: 100 });
  expect(part.status).toBe(201);
  expect((await resume(shopper, id)).body.subscription?.status).toBe('active');
});

it("leaves the merchant's cancellation to the merchant: the shopper cannot take it back", async () => {
  h = await hardeningHarness();
  const { shopper, id } = await subscribed();
  await admin(h)('POST', `/api/admin/subscriptions/${id}/cancel`);
  const mine = (await shopper.request('GET', '/api/subscriptions')).body.subscriptions[0];
  expect(mine).toMatchObject({ status: 'canceled', canceledBy: 'merchant' });
  expect(refusal(await resume(shopper, id))).toEqual([
    409,
    'subscription_not_resumable',
    'canceled_by_merchant',
  ]);
  const merchant = await admin(h)('POST', `/api/admin/subscriptions/${id}/resume`);
  expect(merchant.body.subscription).toMatchObject({ status: 'active', canceledBy: null });
  // The shopper's own cancellation, after that, is theirs to take back.
  await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  expect((await resume(shopper, id)).body.subscription?.status).toBe('active');
});

it("makes a cancellation the merchant's when the merchant cancels one its shopper canceled", async () => {
  h = await hardeningHarness();
  const { shopper, id } = await subscribed();
  const first = await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  const merchant = await admin(h)('POST', `/api/admin/subscriptions/${id}/cancel`);
  expect(merchant.body.subscription).toMatchObject({
    canceledBy: 'merchant',
    canceledAt: first.body.subscription.canceledAt,
  });
  expect(refusal(await resume(shopper, id))).toEqual([
    409,
    'subscription_not_resumable',
    'canceled_by_merchant',
  ]);
});

it('resumes the period a renewal approved after the cancellation paid, though its advance was lost', async () => {
  let store: FailingStore;
  ({ h, store } = await harnessFailingOnce('UPDATE subscriptions SET current_period ='));
  const { shopper, id } = await subscribed();
  await h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [id, REVIEWED]);
  h.clock.advance(31 * DAY);
  expect((await renewDue(h.stub)).held).toEqual([id]);
  const renewal = (
    await h.stub.db.query(
      `SELECT id FROM payments WHERE subscription_id = $1 AND kind = 'renewal'`,
      [id],
    )
  ).rows[0] as { id: string };
  const canceled = await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  expect(canceled.body.renewalInFlight).toMatchObject({ period: 2, status: 'review' });
  const cybersourceId = (await findPayment(h.stub.db, renewal.id))?.cybersource_id;
  await h.emulatorFetch(`http://localhost:4010/__emulator/reviews/${cybersourceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'accept' }),
  });
  h.clock.advance(3_600_000);
  store.arm();
  await h.stub.reconciler.runOnce().catch(() => undefined);
  expect((await findPayment(h.stub.db, renewal.id))?.status).toBe('succeeded');
  // Period 2 is paid, the subscription still says period 1 (ended): resume repairs it first.
  const r = await resume(shopper, id);
  expect(r.status).toBe(200);
  expect(r.body.subscription).toMatchObject({ status: 'active', currentPeriod: 2 });
});

it('is not blocked by a refunded purchase of the plan that never started its subscription', async () => {
  let store: FailingStore;
  ({ h, store } = await harnessFailingOnce('INSERT INTO subscriptions'));
  const { shopper, id, paymentMethodId } = await subscribed();
  await shopper.request('POST', `/api/subscriptions/${id}/cancel`);
  h.clock.advance(60_000);
  store.arm();
  const again = await shopper.request('POST', '/api/checkout/payments', {
    paymentMethodId,
    item: { id: 'pro-monthly' },
  });
  expect(again.body.payment?.status).toBe('succeeded');
  expect(again.body.subscription).toBeUndefined();
  // The operator refunds the purchase whose subscription never started, as its log asks.
  expect(
    (await admin(h)('POST', `/api/admin/payments/${again.body.payment.id}/refunds`)).status,
  ).toBe(201);
  h.clock.advance(60_000);
  expect((await resume(shopper, id)).body.subscription?.status).toBe('active');
});
