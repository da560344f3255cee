import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { reserveCharge } from '../../server-stub/limits/decline-guard.ts';
import { NO_LIMITS } from '../../server-stub/limits/rules.ts';
import { claimKey, completeKey, keysForResource } from '../../server-stub/store/idempotency.ts';
import { appliedMigrations, migrate, StoreNewerThanCode } from '../../server-stub/store/migrate.ts';
import { saveOrFindPaymentMethod } from '../../server-stub/store/payment-methods.ts';
import {
  addRefunded,
  findLiveRenewal,
  findPayment,
  finishPayment,
  givePlanStartUp,
  insertPendingPayment,
  listPayments,
  lockPayment,
} from '../../server-stub/store/payments.ts';
import { findSession, insertSession, type NewSession } from '../../server-stub/store/sessions.ts';
import {
  ensureShopper,
  findShopper,
  forgetIdleShoppers,
  setShopperCustomer,
} from '../../server-stub/store/shoppers.ts';
import {
  cancelSubscription,
  findPlanStanding,
  lockPlanPurchase,
  startSubscriptionFromPayment,
} from '../../server-stub/store/subscriptions.ts';
import { signal } from '../helpers/signal.ts';
import { SUITE_STORES, suiteStore } from '../helpers/test-store.ts';

const now = new Date('2026-01-01T00:00:00Z');

/** A checkout session of `shopperId`, started (and expiring) at `at`: the store reads no more. */
const session = (id: string, shopperId: string, at: Date): NewSession => ({
  id,
  shopperId,
  captureContext: 'a.b.c',
  flxJwk: { kty: 'RSA', n: 'n', e: 'AQAB' },
  targetOrigins: ['http://localhost:3000'],
  flexKeyId: undefined,
  createdAt: at,
  expiresAt: at,
});

function payment(id: string, extra: Partial<Parameters<typeof insertPendingPayment>[1]> = {}) {
  return {
    id,
    kind: 'one_time' as const,
    // A shopper of its own: a shopper has one unresolved payment at a time (migration 006).
    shopperId: `shp_${id}`,
    sessionId: undefined,
    itemId: 'tshirt',
    subscriptionId: undefined,
    period: undefined,
    amount: 2500,
    currency: 'USD',
    transactionId: `txn-${id}`,
    referenceCode: id,
    paymentMethodId: undefined,
    customerId: undefined,
    cardBrand: 'visa',
    cardLast4: '1111',
    createdAt: now,
    ...extra,
  };
}

function storeSuite(name: string, open: (typeof SUITE_STORES)[number][1]) {
  describe(`store on ${name}`, () => {
    const db = suiteStore(open);
    it('applies migrations once', async () => {
      // Every file in migrations/, in order (other issues add their own).
      const files = (await readdir(new URL('../../server-stub/store/migrations/', import.meta.url)))
        .filter((f) => f.endsWith('.sql'))
        .sort();
      expect(files.slice(0, 2)).toEqual(['001_initial.sql', '002_reconcile.sql']);
      expect(await appliedMigrations(db)).toEqual(files);
      expect(await migrate(db)).toEqual([]);
    });

    it('refuses a database a newer stub migrated, naming what it does not know', async () => {
      const future = '999_from_a_newer_stub.sql';
      await db.query('INSERT INTO stub_migrations (id, applied_at) VALUES ($1, now())', [future]);
      try {
        const refused = await migrate(db).then(
          () => expect.unreachable(),
          (err: unknown) => err,
        );
        expect(refused).toBeInstanceOf(StoreNewerThanCode);
        expect((refused as StoreNewerThanCode).unknown).toEqual([future]);
      } finally {
        await db.query('DELETE FROM stub_migrations WHERE id = $1', [future]);
      }
      expect(await migrate(db)).toEqual([]);
    });

    // The premise of EMBEDDED_NOT_DURABLE (server-stub/stub.ts): PGlite's PostgreSQL never
    // flushes a commit to disk. Should a PGlite release turn fsync on, this fails and the
    // refusal of production on the embedded database can be revisited.
    it(`flushes commits to disk ${name === 'PGlite' ? 'never (fsync off)' : '(fsync on)'}`, async () => {
      const { rows } = await db.query('SHOW fsync');
      expect(rows).toEqual([{ fsync: name === 'PGlite' ? 'off' : 'on' }]);
    });

    const CONFLICT = { written: false, why: 'conflict' };
    const written = async (p: ReturnType<typeof payment>) =>
      (await insertPendingPayment(db, p)).written;

    it('writes a pending payment and finishes it; the transaction id is unique', async () => {
      expect(await insertPendingPayment(db, payment('pay_a'))).toMatchObject({
        written: true,
        row: { id: 'pay_a', status: 'pending' },
      });
      expect((await findPayment(db, 'pay_a'))?.status).toBe('pending');
      expect(
        await insertPendingPayment(db, payment('pay_b', { transactionId: 'txn-pay_a' })),
      ).toEqual(CONFLICT);
      const done = await finishPayment(
        db,
        'pay_a',
        { status: 'succeeded', cybersourceId: '123' },
        now,
      );
      expect(done).toMatchObject({
        status: 'succeeded',
        cybersource_id: '123',
        card_last4: '1111',
      });
      expect(
        (await listPayments(db, { limit: 10, status: 'succeeded' })).map((p) => p.id),
      ).toContain('pay_a');
    });

    it('refuses to refund more than the amount at the database level', async () => {
      await insertPendingPayment(db, payment('pay_r'));
      await addRefunded(db, 'pay_r', 2500, now);
      await expect(addRefunded(db, 'pay_r', 1, now)).rejects.toThrow();
      const row = await db.transaction(async (tx) => lockPayment(tx, 'pay_r'));
      expect(row?.refunded_amount).toBe(2500);
    });

    it('rolls a transaction back when it throws', async () => {
      await expect(
        db.transaction(async (tx) => {
          await insertPendingPayment(tx, payment('pay_rollback'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await findPayment(db, 'pay_rollback')).toBeUndefined();
    });

    it('allows one live renewal per subscription period', async () => {
      await ensureShopper(db, 'shp_1', now);
      await db.query(
        `INSERT INTO subscriptions (id, shopper_id, plan_id, customer_id, payment_method_id, amount, currency, interval, interval_count,
          status, network_transaction_id, current_period, current_period_start, current_period_end, created_at, updated_at)
         VALUES ('sub_1','shp_1','pro','C','P',900,'USD','month',1,'active','n',1,$1,$1,$1,$1)`,
        [now],
      );
      const renewal = (id: string) =>
        // Naming the card its subscription renews with, as `renew.ts` does.
        payment(id, { kind: 'renewal', subscriptionId: 'sub_1', period: 2, paymentMethodId: 'P' });
      expect(await written(renewal('pay_r1'))).toBe(true);
      expect(await insertPendingPayment(db, renewal('pay_r2'))).toEqual(CONFLICT);
      await finishPayment(db, 'pay_r1', { status: 'declined' }, now);
      expect(await written(renewal('pay_r3'))).toBe(true);
    });

    it('tells a plan purchase, in one read, of a live subscription and of a paid plan never started', async () => {
      await ensureShopper(db, 'shp_p', now);
      const standing = () => findPlanStanding(db, 'shp_p', 'pro', new Date(now.getTime() - 1000));
      expect(await standing()).toEqual({ live: false, renewing: false, unstarted: undefined });
      const start = (id: string) =>
        payment(id, { kind: 'subscription_start', itemId: 'pro', shopperId: 'shp_p' });
      expect(await written(start('pay_p1'))).toBe(true);
      // Pending: not paid yet.
      expect((await standing()).unstarted).toBeUndefined();
      await finishPayment(db, 'pay_p1', { status: 'succeeded' }, now);
      expect((await standing()).unstarted?.id).toBe('pay_p1');
      await addRefunded(db, 'pay_p1', 100, now);
      expect((await standing()).unstarted).toBeUndefined();
      await db.query(
        `INSERT INTO subscriptions (id, shopper_id, plan_id, customer_id, payment_method_id, amount, currency, interval, interval_count,
          status, network_transaction_id, current_period, current_period_start, current_period_end, created_at, updated_at)
         VALUES ('sub_p','shp_p','pro','C','P',900,'USD','month',1,'past_due','n',1,$1,$1,$1,$1)`,
        [now],
      );
      expect((await standing()).live).toBe(true);
    });

    it("starts a paid plan's subscription from its payment once, ordered with a purchase holding the shopper", async () => {
      await ensureShopper(db, 'shp_s', now);
      await saveOrFindPaymentMethod(db, {
        id: 'pi_s',
        shopperId: 'shp_s',
        customerId: 'C',
        instrumentIdentifierId: 'ii_s',
        brand: 'visa',
        last4: '1111',
        expirationMonth: '12',
        expirationYear: '2031',
        createdAt: now,
      });
      const paid = async (id: string) => {
        await insertPendingPayment(
          db,
          payment(id, { kind: 'subscription_start', itemId: 'pro', shopperId: 'shp_s' }),
        );
        await finishPayment(db, id, { status: 'succeeded', networkTransactionId: 'n' }, now);
      };
      const start = (paymentId: string, subscriptionId: string) =>
        startSubscriptionFromPayment(
          db,
          paymentId,
          {
            id: subscriptionId,
            shopperId: 'shp_s',
            planId: 'pro',
            customerId: 'C',
            paymentMethodId: 'pi_s',
            amount: 2500,
            currency: 'USD',
            interval: 'month',
            intervalCount: 1,
            networkTransactionId: 'n',
            periodStart: now,
            periodEnd: new Date('2026-02-01T00:00:00Z'),
            createdAt: now,
          },
          now,
        );
      await paid('pay_ps1');
      // Two at once from one payment (the charged request and the reconciler): one starts it.
      const both = await Promise.all([start('pay_ps1', 'sub_s1'), start('pay_ps1', 'sub_s2')]);
      expect(both.filter((r) => 'subscription' in r)).toHaveLength(1);
      expect(both.filter((r) => 'refused' in r)).toEqual([{ refused: 'payment_changed' }]);
      expect(await findPayment(db, 'pay_ps1')).toMatchObject({
        period: 1,
        payment_method_id: 'pi_s',
      });
      const live = await db.query(
        `SELECT id FROM subscriptions WHERE shopper_id = 'shp_s' AND status = 'active'`,
      );
      expect(live.rows).toHaveLength(1);
      expect((await findPayment(db, 'pay_ps1'))?.subscription_id).toBe(
        (live.rows[0] as { id: string }).id,
      );
      // Another payment for the plan, while one is live: never a second subscription.
      await db.query(`UPDATE subscriptions SET status = 'canceled' WHERE shopper_id = 'shp_s'`);
      await paid('pay_ps2');
      await db.query(`UPDATE subscriptions SET status = 'active' WHERE shopper_id = 'shp_s'`);
      expect(await start('pay_ps2', 'sub_s3')).toEqual({ refused: 'live' });
      expect(await findPayment(db, 'pay_ps2')).toMatchObject({ subscription_id: null });
      // Given up (an operator told to refund it): never started after, nor offered to a purchase.
      await db.query(`UPDATE subscriptions SET status = 'canceled' WHERE shopper_id = 'shp_s'`);
      expect(await givePlanStartUp(db, 'pay_ps2', now)).toBe(true);
      // Once: a second process giving it up too is told it was not its to log.
      expect(await givePlanStartUp(db, 'pay_ps2', now)).toBe(false);
      // Refunded meanwhile (the merchant, while the reconciler asked TMS): nothing to give up.
      await paid('pay_ps_refunded');
      await db.query(`UPDATE payments SET refunded_amount = amount WHERE id = 'pay_ps_refunded'`);
      expect(await givePlanStartUp(db, 'pay_ps_refunded', now)).toBe(false);
      expect(await start('pay_ps2', 'sub_s5')).toEqual({ refused: 'given_up' });
      const since = new Date(now.getTime() - 1000);
      expect((await findPlanStanding(db, 'shp_s', 'pro', since)).unstarted).toBeUndefined();
      if (!db.concurrentTransactions) return; // PGlite runs one transaction at a time.

      // Two payments for the plan starting at once (a purchase's, the reconciler's): one starts.
      for (let round = 0; round < 12; round++) {
        await db.query(`UPDATE subscriptions SET status = 'canceled' WHERE shopper_id = 'shp_s'`);
        await paid(`pay_pr${round}a`);
        await paid(`pay_pr${round}b`);
        const pair = await Promise.all([
          start(`pay_pr${round}a`, `sub_pr${round}a`),
          start(`pay_pr${round}b`, `sub_pr${round}b`),
        ]);
        expect(pair.filter((r) => 'refused' in r)).toEqual([{ refused: 'live' }]);
        const both = await db.query(
          `SELECT id FROM subscriptions WHERE shopper_id = 'shp_s' AND status = 'active'`,
        );
        expect(both.rows).toHaveLength(1);
      }

      // A purchase whose transaction holds the shopper (`lockPlanPurchase`) and then goes live:
      // the start waits for it, then sees it live. Checked before it, both would start one.
      await db.query(`UPDATE subscriptions SET status = 'canceled' WHERE shopper_id = 'shp_s'`);
      await paid('pay_ps3');
      const holding = signal();
      const release = signal();
      const purchase = db.transaction(async (tx) => {
        expect(await lockPlanPurchase(tx, 'shp_s', 'pro')).toEqual({ live: false });
        holding.fire();
        await release.reached;
        await tx.query(
          `UPDATE subscriptions SET status = 'active'
           WHERE id = (SELECT min(id) FROM subscriptions WHERE shopper_id = 'shp_s')`,
        );
      });
      await holding.reached;
      let done = false;
      const starting = start('pay_ps3', 'sub_s4').then((r) => {
        done = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(done).toBe(false);
      release.fire();
      await purchase;
      expect(await starting).toEqual({ refused: 'live' });
    });

    it('writes a renewal only while its subscription is live, serialised with a cancellation', async () => {
      await ensureShopper(db, 'shp_c', now);
      const subscription = (id: string) =>
        db.query(
          `INSERT INTO subscriptions (id, shopper_id, plan_id, customer_id, payment_method_id, amount, currency, interval, interval_count,
            status, network_transaction_id, current_period, current_period_start, current_period_end, created_at, updated_at)
           VALUES ($1,'shp_c','pro','C','P',900,'USD','month',1,'active','n',1,$2,$2,$2,$2)`,
          [id, now],
        );
      const renewal = (id: string, sub: string) =>
        payment(id, {
          kind: 'renewal',
          subscriptionId: sub,
          period: 2,
          shopperId: 'shp_c',
          paymentMethodId: 'P',
        });

      await subscription('sub_c1');
      expect(await cancelSubscription(db, 'sub_c1', now)).toMatchObject({ status: 'canceled' });
      expect(await insertPendingPayment(db, renewal('pay_c1', 'sub_c1'))).toEqual({
        written: false,
        why: 'not_live',
      });
      // Canceled once: a second cancel changes nothing.
      expect(await cancelSubscription(db, 'sub_c1', now)).toBeUndefined();
      if (!db.concurrentTransactions) return; // PGlite runs one statement at a time.

      // A renewal row being written holds the subscription: the cancel waits, then sees it.
      await subscription('sub_c2');
      const held = signal();
      const wrote = signal();
      const renewing = db.transaction(async (tx) => {
        const w = await insertPendingPayment(tx, renewal('pay_c2', 'sub_c2'));
        wrote.fire();
        await held.reached;
        return w;
      });
      await wrote.reached;
      let canceled = false;
      const canceling = cancelSubscription(db, 'sub_c2', now).then((row) => {
        canceled = true;
        return row;
      });
      await new Promise((r) => setTimeout(r, 150));
      expect(canceled).toBe(false);
      held.fire();
      expect((await renewing).written).toBe(true);
      expect(await canceling).toMatchObject({ status: 'canceled' });
      expect(await findLiveRenewal(db, 'sub_c2', 2)).toMatchObject({ id: 'pay_c2' });

      // A cancellation first: the renewal waits for it, then writes nothing.
      await subscription('sub_c3');
      const open = signal();
      const cancelFirst = db.transaction(async (tx) => {
        await cancelSubscription(tx, 'sub_c3', now);
        await open.reached;
      });
      await new Promise((r) => setTimeout(r, 50));
      const late = insertPendingPayment(db, renewal('pay_c3', 'sub_c3'));
      await new Promise((r) => setTimeout(r, 100));
      open.fire();
      await cancelFirst;
      expect(await late).toEqual({ written: false, why: 'not_live' });
    });

    it('applies migration 005 over two unresolved payments of one session from before 004', async () => {
      // Back to the state before 005, with a pair 004's lock would have prevented.
      await db.exec(`DROP INDEX payments_session_one_unresolved;
        CREATE INDEX payments_session_unresolved ON payments (session_id)
          WHERE session_id IS NOT NULL AND status IN ('pending', 'unknown');
        DELETE FROM stub_migrations WHERE id = '005_session_one_unresolved.sql'`);
      const old = (id: string) =>
        payment(id, { sessionId: 'cs_old', createdAt: new Date('2025-06-01T00:00:00Z') });
      expect(await written(old('pay_old1'))).toBe(true);
      expect(await written(old('pay_old2'))).toBe(true);
      expect(await migrate(db)).toEqual(['005_session_one_unresolved.sql']);
      // The old pair stays for the reconciler; new payments are held to one per session.
      const fresh = (id: string) => payment(id, { sessionId: 'cs_fresh' });
      expect(await written(fresh('pay_f1'))).toBe(true);
      expect(await insertPendingPayment(db, fresh('pay_f2'))).toEqual(CONFLICT);
    });

    it('allows one unresolved payment per checkout session', async () => {
      const inSession = (id: string) => payment(id, { sessionId: 'cs_one' });
      expect(await written(inSession('pay_s1'))).toBe(true);
      expect(await insertPendingPayment(db, inSession('pay_s2'))).toEqual(CONFLICT);
      await finishPayment(db, 'pay_s1', { status: 'unknown' }, now);
      expect(await insertPendingPayment(db, inSession('pay_s3'))).toEqual(CONFLICT);
      await finishPayment(db, 'pay_s1', { status: 'declined' }, now);
      expect(await written(inSession('pay_s4'))).toBe(true);
      expect(await written(payment('pay_s5'))).toBe(true);
    });

    it('allows one unresolved shopper payment per shopper, across sessions and saved cards', async () => {
      const own = (id: string, extra = {}) => payment(id, { shopperId: 'shp_one', ...extra });
      expect(await written(own('pay_o1', { sessionId: 'cs_o1' }))).toBe(true);
      // A new checkout session, or a saved card (no session), while the first is unresolved.
      expect(await insertPendingPayment(db, own('pay_o2', { sessionId: 'cs_o2' }))).toEqual(
        CONFLICT,
      );
      expect(await insertPendingPayment(db, own('pay_o3'))).toEqual(CONFLICT);
      await finishPayment(db, 'pay_o1', { status: 'unknown' }, now);
      expect(await insertPendingPayment(db, own('pay_o4'))).toEqual(CONFLICT);
      // Held for review, it may still be accepted and charge: not the same item again (migration
      // 014), but another item is another purchase; then, with that one pending, nothing else.
      await finishPayment(db, 'pay_o1', { status: 'review' }, now);
      expect(await insertPendingPayment(db, own('pay_o4r'))).toEqual(CONFLICT);
      expect(await written(own('pay_o4d', { itemId: 'donation' }))).toBe(true);
      expect(await insertPendingPayment(db, own('pay_o4p', { itemId: 'pro-monthly' }))).toEqual(
        CONFLICT,
      );
      await finishPayment(db, 'pay_o4d', { status: 'succeeded' }, now);
      await finishPayment(db, 'pay_o1', { status: 'succeeded' }, now);
      expect(await written(own('pay_o5'))).toBe(true);
      // Another shopper is not held up by this one.
      expect(await written(payment('pay_o6'))).toBe(true);
    });

    it('applies migrations 006, 009 and 014 over two unresolved payments of one shopper from before them', async () => {
      await db.exec(`DROP INDEX payments_shopper_one_unresolved;
        DROP INDEX payments_shopper_item_one_unresolved;
        DELETE FROM stub_migrations WHERE id IN ('006_shopper_one_unresolved.sql',
          '009_shopper_review_unresolved.sql', '014_review_per_item.sql')`);
      const old = (id: string) =>
        payment(id, { shopperId: 'shp_old', createdAt: new Date('2025-06-01T00:00:00Z') });
      expect(await written(old('pay_sold1'))).toBe(true);
      expect(await written(old('pay_sold2'))).toBe(true);
      expect(await migrate(db)).toEqual([
        '006_shopper_one_unresolved.sql',
        '009_shopper_review_unresolved.sql',
        '014_review_per_item.sql',
      ]);
      const fresh = (id: string) => payment(id, { shopperId: 'shp_fresh' });
      expect(await written(fresh('pay_sf1'))).toBe(true);
      expect(await insertPendingPayment(db, fresh('pay_sf2'))).toEqual(CONFLICT);
    });

    it('reserves charges under a cap from concurrent transactions: never more than the cap', async () => {
      const limits = {
        ...NO_LIMITS,
        disabled: false,
        declinesPerShopper: { max: 3, windowMs: 60_000 },
      };
      const attempt = {
        sessionId: undefined,
        sessionExpiresAt: undefined,
        shopperId: 'shp_caps',
        clientIp: undefined,
        cardKey: 'k',
      };
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          db.transaction((tx) =>
            reserveCharge(tx, db.concurrentTransactions, limits, attempt, now),
          ),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      expect(results.filter((r) => !r.ok)).toEqual(
        Array(5).fill({ ok: false, scope: 'shopper', retryAfterSeconds: 60 }),
      );
    });

    it('prunes expired charge attempts oldest first, 100 at a reservation, and none in a window', async () => {
      // 150 attempts a day and more ago (the longest window is a day), and one within it.
      await db.query(
        `INSERT INTO charge_attempts (status, shopper_id, card_key, at)
         SELECT 'declined', 'shp_prune', 'k', $1::timestamptz - make_interval(secs => i)
         FROM generate_series(1, 150) i
         UNION ALL SELECT 'declined', 'shp_prune', 'k', $1::timestamptz + interval '1 hour'`,
        [new Date(now.getTime() - 86_400_000)],
      );
      const ages = async () =>
        (
          await db.query(
            `SELECT extract(epoch FROM $1::timestamptz - at)::int AS age FROM charge_attempts
             WHERE shopper_id = 'shp_prune' ORDER BY at`,
            [now],
          )
        ).rows.map((r) => (r as { age: number }).age);
      const reserve = () =>
        db.transaction((tx) =>
          reserveCharge(
            tx,
            db.concurrentTransactions,
            NO_LIMITS,
            {
              ...{ sessionId: undefined, sessionExpiresAt: undefined, clientIp: undefined },
              shopperId: 'shp_other',
              cardKey: 'k2',
            },
            now,
          ),
        );
      await reserve();
      // The 100 oldest went; the 50 newest of the expired and the one in the window stay.
      expect(await ages()).toEqual([...Array.from({ length: 50 }, (_, i) => 86_450 - i), 82_800]);
      await reserve();
      expect(await ages()).toEqual([82_800]);
    });

    it('spends a transient token once; a session creates its new shopper', async () => {
      await insertSession(db, session('cs_1', 'shp_new', now));
      expect((await findSession(db, 'cs_1'))?.flx_jwk.kty).toBe('RSA');
      expect(await findShopper(db, 'shp_new')).toMatchObject({ id: 'shp_new', customer_id: null });
      const spend = (id: string, linkKey?: { scope: string; key: string }) =>
        insertPendingPayment(db, payment(id, { sessionId: 'cs_1' }), {
          spendToken: { jti: 'jti-1', sessionId: 'cs_1' },
          linkKey,
        });
      await claimKey(db, 'shopper:shp_new', 'key-1', 'hash', now);
      await claimKey(db, 'shopper:shp_new', 'key-2', 'hash', now);
      expect(await spend('pay_t1', { scope: 'shopper:shp_new', key: 'key-1' })).toMatchObject({
        written: true,
      });
      await finishPayment(db, 'pay_t1', { status: 'declined' }, now);
      // The same token again: refused, and nothing written or linked.
      expect(await spend('pay_t2', { scope: 'shopper:shp_new', key: 'key-2' })).toEqual({
        written: false,
        why: 'token_used',
      });
      expect(await findPayment(db, 'pay_t2')).toBeUndefined();
      expect((await keysForResource(db, 'pay_t1')).map((k) => k.key)).toEqual(['key-1']);
      expect(await keysForResource(db, 'pay_t2')).toEqual([]);
    });

    it('records a shopper customer once', async () => {
      await ensureShopper(db, 'shp_c', now);
      expect(await setShopperCustomer(db, 'shp_c', 'CUST1', now)).toBe('CUST1');
      expect(await setShopperCustomer(db, 'shp_c', 'CUST2', now)).toBe('CUST1');
    });

    it('forgets a shopper that holds nothing, and writes one back when a card is kept', async () => {
      const old = new Date(now.getTime() - 2 * 86_400_000);
      for (const id of ['shp_idle', 'shp_cust', 'shp_sub', 'shp_card']) {
        await ensureShopper(db, id, old);
      }
      await ensureShopper(db, 'shp_recent', now);
      await setShopperCustomer(db, 'shp_cust', 'CUST_KEPT', old);
      await insertSession(db, session('cs_live', 'shp_sess', old));
      // A customer TMS lost is forgotten with its cards, but a subscription still names the shopper.
      await db.query(
        `INSERT INTO subscriptions (id, shopper_id, plan_id, customer_id, payment_method_id, amount, currency, interval, interval_count,
          status, network_transaction_id, current_period, current_period_start, current_period_end, created_at, updated_at)
         VALUES ('sub_idle','shp_sub','pro','C','P',900,'USD','month',1,'canceled','n',1,$1,$1,$1,$1)`,
        [old],
      );
      await db.query(
        `INSERT INTO payment_methods (id, shopper_id, customer_id, instrument_identifier_id, brand, last4, created_at)
         VALUES ('pm_idle', 'shp_card', 'C2', 'II', 'visa', '1111', $1)`,
        [old],
      );
      const dayAgo = new Date(now.getTime() - 86_400_000);
      expect((await forgetIdleShoppers(db, dayAgo, 100)).forgotten).toBeGreaterThanOrEqual(1);
      const left = await db.query('SELECT id FROM shoppers WHERE id = ANY($1) ORDER BY id', [
        ['shp_idle', 'shp_cust', 'shp_sess', 'shp_sub', 'shp_card', 'shp_recent'],
      ]);
      expect(left.rows.map((r) => (r as { id: string }).id)).toEqual([
        'shp_card',
        'shp_cust',
        'shp_recent',
        'shp_sess',
        'shp_sub',
      ]);
      // A card kept afterwards for the forgotten shopper brings the row back with its customer.
      expect(await setShopperCustomer(db, 'shp_idle', 'CUST_NEW', now)).toBe('CUST_NEW');
      expect(await findShopper(db, 'shp_idle')).toMatchObject({ customer_id: 'CUST_NEW' });
    });

    it('looks at a bounded number of shoppers per call, going on where the last call stopped', async () => {
      // A year before the other tests' shoppers, so only these are old enough here.
      const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, i));
      const before = new Date(Date.UTC(2025, 5, 1));
      const ids = ['shp_v1', 'shp_v2', 'shp_v3', 'shp_v4', 'shp_v5'];
      for (const [i, id] of ids.entries()) await ensureShopper(db, id, at(i));
      // Returning visitors: a session keeps each of them.
      for (const id of ['shp_v1', 'shp_v2', 'shp_v4'])
        await insertSession(db, session(`cs_${id}`, id, now));
      // Two looked at, both kept: nothing deleted, and the next call goes on after them.
      const first = await forgetIdleShoppers(db, before, 2);
      expect(first).toEqual({ forgotten: 0, next: { createdAt: at(1), id: 'shp_v2' } });
      const second = await forgetIdleShoppers(db, before, 2, first.next);
      expect(second).toEqual({ forgotten: 1, next: { createdAt: at(3), id: 'shp_v4' } });
      // The newest reached: the next call starts over.
      expect(await forgetIdleShoppers(db, before, 2, second.next)).toEqual({
        forgotten: 1,
        next: undefined,
      });
      const left = await db.query('SELECT id FROM shoppers WHERE id = ANY($1) ORDER BY id', [ids]);
      expect(left.rows.map((r) => (r as { id: string }).id)).toEqual([
        'shp_v1',
        'shp_v2',
        'shp_v4',
      ]);
      expect(await forgetIdleShoppers(db, before, 2)).toEqual({
        forgotten: 0,
        next: { createdAt: at(1), id: 'shp_v2' },
      });
    });

    it('lets exactly one of many concurrent claims win an idempotency key', async () => {
      const claims = await Promise.all(
        Array.from({ length: 20 }, () => claimKey(db, 's', 'k', 'h', now)),
      );
      expect(claims.filter((c) => c.outcome === 'claimed')).toHaveLength(1);
      await completeKey(db, 's', 'k', 201, { ok: true }, now);
      expect(await claimKey(db, 's', 'k', 'h', now)).toEqual({
        outcome: 'done',
        requestHash: 'h',
        status: 201,
        body: { ok: true },
      });
    });
  });
}

for (const [name, open] of SUITE_STORES) storeSuite(name, open);
