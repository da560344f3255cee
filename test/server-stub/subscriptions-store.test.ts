import { describe, expect, it } from 'vitest';
import { RETRY_DELAYS_SECONDS } from '../../server-stub/checkout/renewal-retries.ts';
import { saveOrFindPaymentMethod } from '../../server-stub/store/payment-methods.ts';
import { finishPayment, insertPendingPayment } from '../../server-stub/store/payments.ts';
import { ensureShopper } from '../../server-stub/store/shoppers.ts';
import {
  advancePeriod,
  cancelSubscription,
  changeSubscriptionCard,
  insertSubscription,
  listDueSubscriptions,
  listLiveSubscriptionsPaidBy,
  lockPlanPurchase,
  recordFailedRenewal,
  resumeSubscription,
} from '../../server-stub/store/subscriptions.ts';
import { SUITE_STORES, suiteStore } from '../helpers/test-store.ts';

const DAY = 86_400_000;
const start = new Date('2026-01-01T00:00:00Z');
const end = new Date(start.getTime() + 31 * DAY);
const DELAYS = [86_400, 172_800, 345_600];

function suite(name: string, open: (typeof SUITE_STORES)[number][1]) {
  describe(`subscription retries on ${name}`, () => {
    const db = suiteStore(open);
    let n = 0;
    /** A subscription on a saved card, the shopper's own (`shopperId`: the card's owner). */
    async function subscription(paymentMethodId = `pi_${++n}`, shopperId = `shp_sub_${++n}`) {
      await ensureShopper(db, shopperId, start);
      await saveOrFindPaymentMethod(db, {
        id: paymentMethodId,
        shopperId,
        customerId: 'cust',
        instrumentIdentifierId: `ii_${paymentMethodId}`,
        brand: 'visa',
        last4: '1111',
        expirationMonth: '12',
        expirationYear: '2031',
        createdAt: start,
      });
      const sub = await insertSubscription(db, {
        id: `sub_${++n}`,
        shopperId,
        planId: 'pro-monthly',
        customerId: 'cust',
        paymentMethodId,
        amount: 900,
        currency: 'USD',
        interval: 'month',
        intervalCount: 1,
        networkTransactionId: 'ntid',
        periodStart: start,
        periodEnd: end,
        createdAt: start,
      });
      if (!sub) throw new Error('subscription not started');
      return sub;
    }

    /** The pending renewal of period 2 of `sub`, named by `tag`. */
    const renewalOf = (
      sub: { id: string; shopper_id: string; payment_method_id: string },
      tag: string,
      at: Date,
    ) => ({
      id: `pay_${tag}_${sub.id}`,
      kind: 'renewal' as const,
      shopperId: sub.shopper_id,
      sessionId: undefined,
      itemId: 'pro-monthly',
      subscriptionId: sub.id,
      period: 2,
      amount: 900,
      currency: 'USD',
      transactionId: `txn-${tag}-${sub.id}`,
      referenceCode: `pay_${tag}_${sub.id}`,
      paymentMethodId: sub.payment_method_id,
      customerId: 'cust',
      cardBrand: 'visa',
      cardLast4: '1111',
      createdAt: at,
    });

    const fail = (id: string, paymentId: string, at: Date, terminal = false, period = 2) =>
      recordFailedRenewal(db, {
        id,
        period,
        paymentId,
        reason: terminal ? 'STOLEN_LOST_CARD' : 'INSUFFICIENT_FUND',
        terminal,
        delaysSeconds: DELAYS,
        maxAttempts: 4,
        now: at,
        attemptedAt: at,
      });

    const due = async (at: Date) => (await listDueSubscriptions(db, at, 1000)).map((s) => s.id);

    it('schedules retries +1, +2, +4 days, then ends them on the 4th failure', async () => {
      const sub = await subscription();
      expect(sub).toMatchObject({ renewal_attempts: 0, next_renewal_at: null });
      let at = end;
      const next: (string | null)[] = [];
      for (const p of ['pay_a', 'pay_b', 'pay_c', 'pay_d']) {
        const row = await fail(sub.id, p, at);
        next.push(row?.next_renewal_at?.toISOString() ?? null);
        if (row?.next_renewal_at) at = row.next_renewal_at;
      }
      expect(next).toEqual([
        new Date(end.getTime() + DAY).toISOString(),
        new Date(end.getTime() + 3 * DAY).toISOString(),
        new Date(end.getTime() + 7 * DAY).toISOString(),
        null,
      ]);
      const [last] = (await db.query('SELECT * FROM subscriptions WHERE id = $1', [sub.id]))
        .rows as { status: string; renewal_attempts: number }[];
      expect(last).toMatchObject({ status: 'unpaid', renewal_attempts: 4 });
      // Terminal: nothing more is counted.
      expect(await fail(sub.id, 'pay_e', at)).toBeUndefined();
    });

    it('counts one payment once, ignores a stale period, and ends at once when terminal', async () => {
      const sub = await subscription();
      expect((await fail(sub.id, 'pay_x', end))?.renewal_attempts).toBe(1);
      expect(await fail(sub.id, 'pay_x', end)).toBeUndefined();
      expect(await fail(sub.id, 'pay_y', end, false, 3)).toBeUndefined();
      expect(await fail(sub.id, 'pay_z', end, true)).toMatchObject({
        status: 'unpaid',
        renewal_attempts: 2,
        next_renewal_at: null,
        renewal_failure_reason: 'STOLEN_LOST_CARD',
      });
    });

    it("advances a canceled subscription's period (a renewal accepted late) without reviving it", async () => {
      const sub = await subscription();
      await db.query(`UPDATE subscriptions SET status = 'canceled' WHERE id = $1`, [sub.id]);
      await advancePeriod(db, sub.id, {
        from: 1,
        to: 2,
        start: end,
        end: new Date(end.getTime() + 31 * DAY),
        now: end,
      });
      const [row] = (await db.query('SELECT * FROM subscriptions WHERE id = $1', [sub.id]))
        .rows as Record<string, unknown>[];
      expect(row).toMatchObject({ status: 'canceled', current_period: 2 });
    });

    it('resets the schedule when the period advances', async () => {
      const sub = await subscription();
      await fail(sub.id, 'pay_r', end);
      const next = new Date(end.getTime() + 31 * DAY);
      await advancePeriod(db, sub.id, { from: 1, to: 2, start: end, end: next, now: end });
      const [row] = (await db.query('SELECT * FROM subscriptions WHERE id = $1', [sub.id]))
        .rows as Record<string, unknown>[];
      expect(row).toMatchObject({
        status: 'active',
        current_period: 2,
        renewal_attempts: 0,
        next_renewal_at: null,
        renewal_failure_reason: null,
        renewal_failure_payment_id: null,
      });
    });

    it('lists a subscription as due only when its period ended and its next attempt is due', async () => {
      const sub = await subscription();
      expect(await due(new Date(end.getTime() - 1))).not.toContain(sub.id);
      expect(await due(end)).toContain(sub.id);
      await fail(sub.id, 'pay_d1', end);
      expect(await due(new Date(end.getTime() + DAY - 1))).not.toContain(sub.id);
      expect(await due(new Date(end.getTime() + DAY))).toContain(sub.id);
    });

    it('lists the earliest due first, by its next attempt or else its period end, up to the limit', async () => {
      // Earlier than any other test's subscription; a past-due one whose period ended first is
      // due by its retry, after the other two.
      const at = (d: string) => new Date(`2025-06-${d}T00:00:00Z`);
      const [first, second, retry] = [
        await subscription(),
        await subscription(),
        await subscription(),
      ];
      const set = (id: string, periodEnd: Date, next: Date | null, status = 'active') =>
        db.query(
          'UPDATE subscriptions SET current_period_end = $2, next_renewal_at = $3, status = $4 WHERE id = $1',
          [id, periodEnd, next, status],
        );
      await set(first.id, at('01'), null);
      await set(second.id, at('02'), null);
      await set(retry.id, new Date('2025-05-01T00:00:00Z'), at('03'), 'past_due');
      const list = async (limit: number) =>
        (await listDueSubscriptions(db, at('10'), limit)).map((s) => s.id);
      expect(await list(2)).toEqual([first.id, second.id]);
      expect(await list(3)).toEqual([first.id, second.id, retry.id]);
      expect(await listDueSubscriptions(db, at('02'), 10)).toHaveLength(2);
      for (const sub of [first, second, retry]) await set(sub.id, end, null);
    });

    it('leaves a subscription whose next renewal is unresolved or under review to the reconciler', async () => {
      const sub = await subscription();
      const at = new Date(end.getTime() + 1);
      const renewal = renewalOf(sub, 'rv', at);
      expect((await insertPendingPayment(db, renewal)).written).toBe(true);
      for (const status of ['pending', 'unknown', 'review'] as const) {
        await finishPayment(db, renewal.id, { status }, at);
        expect([status, await due(at)]).toEqual([status, expect.not.arrayContaining([sub.id])]);
      }
      await finishPayment(db, renewal.id, { status: 'declined' }, at);
      expect(await due(at)).toContain(sub.id);
    });

    it('writes a renew-due renewal only while the subscription is due, read when it is written', async () => {
      const sub = await subscription();
      const renewal = (n: number, at: Date) => renewalOf(sub, `due${n}`, at);
      const before = new Date(end.getTime() - 1);
      expect(await insertPendingPayment(db, renewal(1, before), { dueBy: before })).toEqual({
        written: false,
        why: 'not_due',
      });
      // A failure another process counted since this one read the subscription: not yet.
      await fail(sub.id, 'pay_due_failed', end);
      const after = new Date(end.getTime() + 1000);
      expect(await insertPendingPayment(db, renewal(2, after), { dueBy: after })).toEqual({
        written: false,
        why: 'not_due',
      });
      // "Renew now" (no dueBy) is the merchant's call, schedule or not.
      expect((await insertPendingPayment(db, renewal(3, after))).written).toBe(true);
      await finishPayment(db, renewal(3, after).id, { status: 'declined' }, after);
      const retry = new Date(end.getTime() + DAY);
      expect((await insertPendingPayment(db, renewal(4, retry), { dueBy: retry })).written).toBe(
        true,
      );
    });

    it('finds the live subscriptions a saved card pays for', async () => {
      const a = await subscription('pi_shared');
      const b = await subscription('pi_shared', a.shopper_id);
      await fail(b.id, 'pay_t', end, true);
      expect((await listLiveSubscriptionsPaidBy(db, 'pi_shared')).map((s) => s.id)).toEqual([a.id]);
      expect(await listLiveSubscriptionsPaidBy(db, 'pi_none')).toEqual([]);
    });

    it("changes a subscription's card, counting its retries per card", async () => {
      const sub = await subscription();
      const other = `pi_other_${sub.id}`;
      await saveOrFindPaymentMethod(db, {
        id: other,
        shopperId: sub.shopper_id,
        customerId: 'cust2',
        instrumentIdentifierId: `ii_${other}`,
        brand: 'discover',
        last4: '1117',
        expirationMonth: '12',
        expirationYear: '2031',
        createdAt: start,
      });
      const card = (paymentMethodId: string, customerId = 'cust') => ({
        paymentMethodId,
        customerId,
        networkTransactionId: `ntid_${paymentMethodId}`,
        citedAmount: 1234,
        ...(paymentMethodId === other
          ? { brand: 'discover', last4: '1117' }
          : { brand: 'visa', last4: '1111' }),
      });
      const change = (paymentMethodId: string, at: Date, shopperId = sub.shopper_id) =>
        changeSubscriptionCard(
          db,
          sub.id,
          shopperId,
          card(paymentMethodId, 'cust2'),
          at,
          RETRY_DELAYS_SECONDS,
        );
      // Two declined renewals of period 2 on the first card, after the period's end.
      for (const tag of ['d1', 'd2']) {
        const at = new Date(end.getTime() + (tag === 'd1' ? 0 : DAY));
        expect((await insertPendingPayment(db, renewalOf(sub, tag, at))).written).toBe(true);
        await finishPayment(db, `pay_${tag}_${sub.id}`, { status: 'declined' }, at);
        await fail(sub.id, `pay_${tag}_${sub.id}`, at);
      }
      const later = new Date(end.getTime() + 2 * DAY);
      const moved = await change(other, later);
      expect(moved).toEqual({
        changed: expect.objectContaining({
          payment_method_id: other,
          customer_id: 'cust2',
          network_transaction_id: `ntid_${other}`,
          cited_amount: 1234,
          status: 'past_due',
          renewal_attempts: 0,
          next_renewal_at: later,
          renewal_failure_reason: 'INSUFFICIENT_FUND',
        }),
      });
      // Back on the first card: its two failures count again, and its own next attempt is the
      // schedule's 2 days after its second failure (not the "now" of the card it leaves).
      const back = await change(sub.payment_method_id, new Date(later.getTime() + 1000));
      expect(back).toEqual({
        changed: expect.objectContaining({
          renewal_attempts: 2,
          next_renewal_at: new Date(end.getTime() + 3 * DAY),
        }),
      });
      // Another shopper's view of it, and a renewal in flight, are refused.
      expect(await change(other, later, 'shp_nobody')).toEqual({ refused: 'not_found' });
      expect((await insertPendingPayment(db, renewalOf(sub, 'p1', later))).written).toBe(true);
      expect(await change(other, later)).toEqual({ refused: 'renewal_in_flight' });
    });

    // Two connections only on PostgreSQL (PGlite runs one transaction at a time).
    it.runIf(name === 'PostgreSQL')(
      'orders a resume and a purchase of the same plan at the same moment: the second is refused',
      async () => {
        const at = new Date(start.getTime() + DAY);
        const pause = () => new Promise((r) => setTimeout(r, 300));
        // A purchase holding the shopper's row, its pending row written, not yet committed:
        // the resume waits for it, then sees it.
        const a = await subscription();
        await cancelSubscription(db, a.id, at, a.shopper_id);
        let resumed: Promise<unknown> = Promise.resolve();
        await db.transaction(async (tx) => {
          expect((await lockPlanPurchase(tx, a.shopper_id, 'pro-monthly')).live).toBe(false);
          const row = { ...renewalOf(a, 'buy', at), kind: 'subscription_start' as const };
          expect(
            (
              await insertPendingPayment(tx, {
                ...row,
                subscriptionId: undefined,
                period: undefined,
              })
            ).written,
          ).toBe(true);
          resumed = resumeSubscription(db, a.id, at, a.shopper_id);
          await pause();
        });
        expect(await resumed).toBeUndefined();

        // A resume committed while a purchase waits for the row: the purchase sees it live.
        const b = await subscription();
        await cancelSubscription(db, b.id, at, b.shopper_id);
        let live: Promise<{ live: boolean }> = Promise.resolve({ live: false });
        await db.transaction(async (tx) => {
          await tx.query('SELECT 1 FROM shoppers WHERE id = $1 FOR UPDATE', [b.shopper_id]);
          live = db.transaction((other) => lockPlanPurchase(other, b.shopper_id, 'pro-monthly'));
          await pause();
          await tx.query(
            `UPDATE subscriptions SET status = 'active', canceled_at = NULL WHERE id = $1`,
            [b.id],
          );
        });
        expect(await live).toEqual({ live: true });
      },
    );
  });
}

for (const [name, open] of SUITE_STORES) suite(name, open);
