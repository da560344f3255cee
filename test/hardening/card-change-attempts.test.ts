/**
 * A card change takes up the new card's count of the period from the attempts the retry
 * schedule counted (migration 018): a renewal that never reached the card (its answer lost, then
 * found never processed) is not one, on the way there or back.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { MASTERCARD } from '../server-stub/harness.ts';
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
