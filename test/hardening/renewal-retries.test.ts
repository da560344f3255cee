/**
 * The renewal retry schedule (server-stub/README.md "Renewal retries") on a fake clock shared by
 * the stub and the emulator: a soft decline is retried 1, 3 and 7 days after the period's first
 * failure, at most 4 attempts, then the subscription is unpaid; a hard decline is never
 * retried; a renewal CyberSource refuses as invalid does not leave the subscription `active`.
 * Prices are moved onto the emulator's amount triggers (emulator/payments/triggers.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteCustomerPaymentInstrument } from '../../server-stub/cybersource/tms-payment-instruments.ts';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { admin } from '../server-stub/harness.ts';
import { armFault, type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

const DAY = 86_400_000;
let h: HardeningHarness;
beforeEach(async () => {
  h = await hardeningHarness();
});
afterEach(() => h.close());

async function subscribe(): Promise<{ id: string; customerId: string; paymentMethodId: string }> {
  const r = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  expect(r.status).toBe(201);
  const view = await subscription(r.body.subscription.id);
  return { id: view.id, customerId: view.customerId, paymentMethodId: view.paymentMethodId };
}

async function subscription(id: string) {
  const r = await admin(h)('GET', `/api/admin/subscriptions/${id}`);
  expect(r.status).toBe(200);
  return r.body.subscription;
}

const reprice = (id: string, minor: number) =>
  h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [id, minor]);

/** The renewal attempts CyberSource saw for this subscription, as the stub recorded them. */
async function renewals(id: string): Promise<string[]> {
  const r = await h.stub.db.query(
    `SELECT status, decline_reason FROM payments WHERE subscription_id = $1 AND kind = 'renewal'
     ORDER BY created_at`,
    [id],
  );
  return (r.rows as { status: string; decline_reason: string | null }[]).map(
    (p) => `${p.status}:${p.decline_reason ?? ''}`,
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('renewal retries', () => {
  it('retries a soft decline 1, 3 and 7 days after the first, then marks the subscription unpaid', async () => {
    const sub = await subscribe();
    await reprice(sub.id, 210_200); // INSUFFICIENT_FUND
    h.clock.advance(31 * DAY); // the monthly period has ended
    const first = h.clock.ms;

    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'past_due',
      currentPeriod: 1,
      renewal: {
        attempts: 1,
        nextAttemptAt: iso(first + DAY),
        lastFailureReason: 'INSUFFICIENT_FUND',
      },
    });
    // Not on every run: the next run the same hour leaves it alone.
    h.clock.advance(3_600_000);
    expect(await renewDue(h.stub)).toMatchObject({ declined: [], failed: [] });
    expect(await renewals(sub.id)).toHaveLength(1);

    h.clock.ms = first + DAY;
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    expect((await subscription(sub.id)).renewal).toMatchObject({
      attempts: 2,
      nextAttemptAt: iso(first + 3 * DAY),
    });
    h.clock.ms = first + 2 * DAY;
    expect((await renewDue(h.stub)).declined).toEqual([]);

    h.clock.ms = first + 3 * DAY;
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    expect((await subscription(sub.id)).renewal).toMatchObject({
      attempts: 3,
      nextAttemptAt: iso(first + 7 * DAY),
    });

    h.clock.ms = first + 7 * DAY;
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'unpaid',
      currentPeriod: 1,
      renewal: { attempts: 4, nextAttemptAt: null, lastFailureReason: 'INSUFFICIENT_FUND' },
    });

    // Terminal: neither renew-due nor the panel charges the card again.
    h.clock.advance(40 * DAY);
    expect(await renewDue(h.stub)).toMatchObject({ declined: [], renewed: [], failed: [] });
    const now = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect([now.status, now.body.error.code]).toEqual([409, 'subscription_not_renewable']);
    expect(await renewals(sub.id)).toEqual(Array(4).fill('declined:INSUFFICIENT_FUND'));
  });

  it('puts the subscription back to active, with a fresh schedule, when a retry is approved', async () => {
    const sub = await subscribe();
    await reprice(sub.id, 210_100); // GENERAL_DECLINE
    h.clock.advance(31 * DAY);
    const periodEnd = (await subscription(sub.id)).currentPeriodEnd;
    await renewDue(h.stub);
    expect((await subscription(sub.id)).status).toBe('past_due');

    await reprice(sub.id, 900);
    h.clock.advance(DAY);
    expect((await renewDue(h.stub)).renewed).toEqual([sub.id]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'active',
      currentPeriod: 2,
      currentPeriodStart: periodEnd,
      renewal: { attempts: 0, lastFailureReason: null },
    });
    expect(await renewals(sub.id)).toEqual(['declined:GENERAL_DECLINE', 'succeeded:']);
  });

  it.each([
    [210_300, 'EXPIRED_CARD'],
    [210_400, 'STOLEN_LOST_CARD'],
    [210_500, 'INVALID_ACCOUNT'],
  ])('never retries a hard decline (%i → %s): unpaid at once', async (amount, reason) => {
    const sub = await subscribe();
    await reprice(sub.id, amount);
    h.clock.advance(31 * DAY);
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'unpaid',
      renewal: { attempts: 1, nextAttemptAt: null, lastFailureReason: reason },
    });
    for (const days of [1, 3, 7, 30]) {
      h.clock.advance(days * DAY);
      await renewDue(h.stub);
    }
    expect(await renewals(sub.id)).toEqual([`declined:${reason}`]);
  });

  it('counts a renewal whose answer was lost and that the reconciler finds hard-declined: unpaid, never charged again', async () => {
    const sub = await subscribe();
    await reprice(sub.id, 210_400); // STOLEN_LOST_CARD
    h.clock.advance(31 * DAY);
    // CyberSource declines it, but the answer never comes: renew-due leaves it to the reconciler.
    await armFault(h, {
      method: 'POST',
      path: '/pts/v2/payments',
      fault: 'timeout',
      processed: true,
    });
    expect((await renewDue(h.stub)).held).toEqual([sub.id]);
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await renewals(sub.id)).toEqual(['declined:STOLEN_LOST_CARD']);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'unpaid',
      renewal: { attempts: 1, nextAttemptAt: null, lastFailureReason: 'STOLEN_LOST_CARD' },
    });
    h.clock.advance(3_600_000);
    expect((await renewDue(h.stub)).declined).toEqual([]);
    expect(await renewals(sub.id)).toHaveLength(1);
  });

  it('does not leave the subscription active when CyberSource rejects the renewal as invalid', async () => {
    const sub = await subscribe();
    // The card removed behind the stub's back (e.g. in the Business Center): every renewal
    // is then a 400 INVALID_DATA, not a decline.
    await deleteCustomerPaymentInstrument(
      h.stub.checkout.client,
      sub.customerId,
      sub.paymentMethodId,
      'test-delete',
    );
    h.clock.advance(31 * DAY);
    const first = h.clock.ms;
    const report = await renewDue(h.stub);
    expect(report.failed).toEqual([{ id: sub.id, code: 'gateway_invalid_request' }]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'past_due',
      renewal: { attempts: 1, nextAttemptAt: iso(first + DAY) },
    });
    expect(h.logs.text).toContain('renewal rejected by CyberSource as invalid');
    // On the schedule, not on every run; four rejections end it like four declines.
    await renewDue(h.stub);
    for (const day of [1, 3, 7]) {
      h.clock.ms = first + day * DAY;
      await renewDue(h.stub);
    }
    expect((await subscription(sub.id)).status).toBe('unpaid');
    expect(await renewals(sub.id)).toHaveLength(4);
  });

  it('charges once for a daily plan whose retry is approved days late: the periods that ended unpaid are skipped, not charged afterwards', async () => {
    const sub = await subscribe();
    // The same subscription on a daily plan (the demo catalog has none).
    await h.stub.db.query(
      `UPDATE subscriptions SET interval = 'day', interval_count = 1,
         current_period_end = created_at + interval '1 day' WHERE id = $1`,
      [sub.id],
    );
    const created = Date.parse((await subscription(sub.id)).currentPeriodStart);
    await reprice(sub.id, 210_200); // INSUFFICIENT_FUND
    h.clock.ms = created + DAY + 60_000;
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    h.clock.advance(DAY);
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    h.clock.advance(2 * DAY);
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    // Day 7 after the first failure, the shopper's funds have arrived: one charge, for the day
    // now running (its 9th), and nothing more on the next runs that hour.
    await reprice(sub.id, 900);
    h.clock.advance(4 * DAY);
    expect((await renewDue(h.stub)).renewed).toEqual([sub.id]);
    for (let i = 0; i < 4; i++) {
      h.clock.advance(10 * 60_000);
      expect(await renewDue(h.stub)).toMatchObject({ renewed: [], declined: [], failed: [] });
    }
    expect(await renewals(sub.id)).toEqual([
      'declined:INSUFFICIENT_FUND',
      'declined:INSUFFICIENT_FUND',
      'declined:INSUFFICIENT_FUND',
      'succeeded:',
    ]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'active',
      currentPeriod: 9,
      currentPeriodStart: iso(created + 8 * DAY),
      currentPeriodEnd: iso(created + 9 * DAY),
      renewal: { attempts: 0 },
    });
    expect(h.logs.text).toContain('the periods that ended unpaid are skipped');
    // The next day renews as usual, one period, one charge.
    h.clock.ms = created + 9 * DAY + 60_000;
    expect((await renewDue(h.stub)).renewed).toEqual([sub.id]);
    expect(await subscription(sub.id)).toMatchObject({
      currentPeriod: 10,
      currentPeriodEnd: iso(created + 10 * DAY),
    });
    expect(await renewals(sub.id)).toHaveLength(5);
  });

  it('counts nothing for an early "renew now" that is declined: the paid-up subscription stays active until its period ends', async () => {
    const sub = await subscribe();
    const renewNow = () =>
      admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, { period: 2 });
    const untouched = { status: 'active', currentPeriod: 1, renewal: { attempts: 0 } };
    h.clock.advance(10 * DAY); // 20 days of the paid month left
    await reprice(sub.id, 210_200); // INSUFFICIENT_FUND
    expect((await renewNow()).status).toBe(402);
    expect(await subscription(sub.id)).toMatchObject(untouched);
    await reprice(sub.id, 210_300); // EXPIRED_CARD: hard, yet still nothing before the end
    expect((await renewNow()).status).toBe(402);
    expect(await subscription(sub.id)).toMatchObject(untouched);
    // At the period's end renew-due makes the schedule's first attempt.
    await reprice(sub.id, 210_200);
    h.clock.advance(21 * DAY);
    const first = h.clock.ms;
    expect((await renewDue(h.stub)).declined).toEqual([sub.id]);
    expect(await subscription(sub.id)).toMatchObject({
      status: 'past_due',
      renewal: { attempts: 1, nextAttemptAt: iso(first + DAY) },
    });
  });
});

describe('a renewal Decision Manager rejects', () => {
  it('is not retried even when CyberSource names no reason (recorded under its status)', async () => {
    // The reject as a lost answer's lookup can find it: the status, no errorInformation.
    const bare = await hardeningHarness({
      wrapFetch: (f) => async (input, init) => {
        const res = await f(input, init);
        if (!String(input).endsWith('/pts/v2/payments')) return res;
        const body = await res.json();
        if (body.status === 'AUTHORIZED_RISK_DECLINED') delete body.errorInformation;
        return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
      },
    });
    try {
      const r = await new SetupShopper(bare).payNewCard({ id: 'pro-monthly' });
      expect(r.status).toBe(201);
      const id = r.body.subscription.id;
      await bare.stub.db.query('UPDATE subscriptions SET amount = 220200 WHERE id = $1', [id]);
      bare.clock.advance(31 * DAY);
      expect((await renewDue(bare.stub)).declined).toEqual([id]);
      const view = await admin(bare)('GET', `/api/admin/subscriptions/${id}`);
      expect(view.body.subscription).toMatchObject({
        status: 'unpaid',
        renewal: {
          attempts: 1,
          nextAttemptAt: null,
          lastFailureReason: 'AUTHORIZED_RISK_DECLINED',
        },
      });
    } finally {
      await bare.close();
    }
  });
});
