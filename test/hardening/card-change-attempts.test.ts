/**
 * A card change takes up the new card's count of the period from the attempts the retry
 * schedule counted (migration 018): a renewal that never reached the card (its answer lost, then
 * found never processed) is not one, on the way there or back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { admin, MASTERCARD, VISA } from '../server-stub/harness.ts';
import { armFault, type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

const DAY = 86_400_000;
let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness();
});
afterAll(() => h.close());

it('counts only the attempts the schedule counted when a subscription moves to another card and back', async () => {
  const shopper = new SetupShopper(h);
  const started = await shopper.payNewCard({ id: 'pro-monthly' });
  const sub = started.body.subscription;
  const kept = await shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
  const [cardA, cardB] = [sub.paymentMethodId, kept.body.paymentMethodId];
  await h.stub.db.query('UPDATE subscriptions SET amount = 210200 WHERE id = $1', [sub.id]); // INSUFFICIENT_FUND
  const attempts = async () =>
    (await h.stub.db.query('SELECT renewal_attempts FROM subscriptions WHERE id = $1', [sub.id]))
      .rows[0];
  const moveTo = (card: string) =>
    shopper.request('PUT', `/api/subscriptions/${sub.id}/payment-method`, {
      paymentMethodId: card,
    });

  h.clock.advance(31 * DAY);
  expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
  // The next attempt times out before reaching the card; the reconciler finds it never processed.
  h.clock.advance(DAY + 1000);
  await armFault(h, {
    method: 'POST',
    path: '/pts/v2/payments',
    fault: 'timeout',
    processed: false,
  });
  await renewDue(h.stub);
  h.clock.advance(120_000);
  await h.stub.reconciler.runOnce();
  const renewals = await h.stub.db.query(
    `SELECT status, decline_reason, counted_attempt FROM payments
     WHERE subscription_id = $1 AND kind = 'renewal' ORDER BY created_at`,
    [sub.id],
  );
  expect(renewals.rows).toEqual([
    { status: 'declined', decline_reason: 'INSUFFICIENT_FUND', counted_attempt: true },
    { status: 'failed', decline_reason: 'NOT_PROCESSED', counted_attempt: false },
  ]);
  expect(await attempts()).toEqual({ renewal_attempts: 1 });

  expect((await moveTo(cardB)).status).toBe(200);
  expect(await attempts()).toEqual({ renewal_attempts: 0 });
  expect((await moveTo(cardA)).status).toBe(200);
  expect(await attempts()).toEqual({ renewal_attempts: 1 });
});

it('counts a card removed and saved again as the same card: never more than 4 attempts a period', async () => {
  const shopper = new SetupShopper(h);
  // A card number no other test here saves: TMS deletes its instrument identifier with the
  // card, so saving it again gives a new identifier as well as a new saved card.
  const card = { ...VISA, number: '4012888888881881' };
  const started = await shopper.payNewCard({ id: 'pro-monthly' }, {}, card);
  const sub = started.body.subscription;
  const kept = await shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
  await h.stub.db.query('UPDATE subscriptions SET amount = 210200 WHERE id = $1', [sub.id]); // INSUFFICIENT_FUND
  const moveTo = (card: string) =>
    shopper.request('PUT', `/api/subscriptions/${sub.id}/payment-method`, {
      paymentMethodId: card,
    });
  h.clock.advance(31 * DAY);
  const first = h.clock.ms;
  for (const day of [0, 1, 3]) {
    h.clock.ms = first + day * DAY;
    expect((await renewDue(h.stub)).declined).toContain(sub.id);
  }
  // Declined three times this period. Moved to the other card, removed, and saved again (a new
  // saved card, the same card number).
  expect((await moveTo(kept.body.paymentMethodId)).status).toBe(200);
  expect(
    (await shopper.request('DELETE', `/api/payment-methods/${sub.paymentMethodId}`)).status,
  ).toBe(204);
  const again = await shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, card);
  expect(again.body.paymentMethodId).not.toBe(sub.paymentMethodId);
  const back = await moveTo(again.body.paymentMethodId);
  expect(back.status).toBe(200);
  // Its three attempts are still its own: one more, on the schedule's day, then unpaid.
  const view = (await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`)).body.subscription;
  expect(view.renewal).toMatchObject({ attempts: 3 });
  expect((await renewDue(h.stub)).declined).not.toContain(sub.id);
  h.clock.ms = first + 7 * DAY;
  expect((await renewDue(h.stub)).declined).toContain(sub.id);
  for (const day of [8, 9, 11, 15]) {
    h.clock.ms = first + day * DAY;
    await renewDue(h.stub);
  }
  const charged = await h.stub.db.query(
    `SELECT count(*)::int AS n FROM payments WHERE subscription_id = $1 AND kind = 'renewal'`,
    [sub.id],
  );
  expect(charged.rows[0]).toEqual({ n: 4 });
  expect(
    (await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`)).body.subscription.status,
  ).toBe('unpaid');
});
