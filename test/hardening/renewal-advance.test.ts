/**
 * A renewal recorded as paid whose period was never advanced (the process stopped, or the write
 * failed, in between): the answer still says charged, and the next renewal of that period
 * finishes the advance instead of charging again or being refused forever
 * (`checkout/renew.ts`).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { admin, upstreamCalls } from '../server-stub/harness.ts';
import {
  type FailingStore,
  type HardeningHarness,
  harnessFailingOnce,
  SetupShopper,
} from './support.ts';

const DAY = 86_400_000;
let h: HardeningHarness;
let store: FailingStore;

beforeEach(async () => {
  ({ h, store } = await harnessFailingOnce('UPDATE subscriptions SET current_period ='));
});
afterEach(() => h.close());

async function subscription(id: string) {
  return (await admin(h)('GET', `/api/admin/subscriptions/${id}`)).body.subscription;
}

const sales = async () =>
  (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments')
    .length;

it('answers charged, and renew-due later advances the period without a second sale', async () => {
  const first = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  const { id } = first.body.subscription;
  h.clock.advance(31 * DAY);
  const before = await sales();

  store.arm();
  const renewed = await admin(h)('POST', `/api/admin/subscriptions/${id}/renewals`, { period: 2 });
  expect(store.armed()).toBe(false);
  // Not a 500: the shopper was charged, and the panel must say so.
  expect(renewed.status).toBe(201);
  expect(renewed.body.payment).toMatchObject({ status: 'succeeded', amount: 900 });
  // No subscription in the answer: as read, it would show the old period, as if not renewed.
  expect(renewed.body.subscription).toBeUndefined();
  expect((await subscription(id)).currentPeriod).toBe(1);
  expect(h.logs.text).toContain('renewal paid but its period could not be advanced');

  // A run within the minute takes it for an overlapping run's, about to advance it: skipped,
  // reported once (by the run that charged), and no alarm for a write still coming.
  const overlapping = await renewDue(h.stub);
  expect(overlapping).toMatchObject({
    renewed: [],
    failed: [],
    skipped: [{ id, code: 'renewal_in_progress' }],
  });
  expect(h.logs.text).not.toContain('renewal was paid but its period not advanced');
  h.clock.advance(61_000);
  const report = await renewDue(h.stub);
  expect(report).toMatchObject({ renewed: [id], failed: [] });
  expect((await subscription(id)).currentPeriod).toBe(2);
  expect(await sales()).toBe(before + 1);
  expect(h.logs.text).toContain('renewal was paid but its period not advanced; advanced now');
  // Done: the next run has nothing to do until period 2 ends.
  expect((await renewDue(h.stub)).renewed).toEqual([]);
});

it('lets "renew now" for the paid period finish the advance too, without a sale', async () => {
  const first = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  const { id } = first.body.subscription;
  store.arm();
  await admin(h)('POST', `/api/admin/subscriptions/${id}/renewals`, { period: 2 });
  const before = await sales();
  const again = await admin(h)('POST', `/api/admin/subscriptions/${id}/renewals`, { period: 2 });
  expect(again.status).toBe(201);
  expect(again.body.subscription.currentPeriod).toBe(2);
  expect(await sales()).toBe(before);
});

it('sets the paid-until date right when the subscription is canceled before any repair', async () => {
  const first = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  const { id, currentPeriodEnd } = first.body.subscription;
  store.arm();
  await admin(h)('POST', `/api/admin/subscriptions/${id}/renewals`, { period: 2 });
  expect((await subscription(id)).currentPeriod).toBe(1);
  const canceled = await admin(h)('POST', `/api/admin/subscriptions/${id}/cancel`, {});
  expect(canceled.status).toBe(200);
  // Period 2 was paid: the shopper has it, though no renewal will ever come to repair it.
  expect(canceled.body.subscription).toMatchObject({ status: 'canceled', currentPeriod: 2 });
  expect(Date.parse(canceled.body.subscription.currentPeriodEnd)).toBeGreaterThan(
    Date.parse(currentPeriodEnd),
  );
  expect(canceled.body).not.toHaveProperty('renewalInFlight');
});
