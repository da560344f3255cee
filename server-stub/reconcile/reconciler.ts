/**
 * @module The reconciler: finishes payments and refunds whose outcome is unknown (a timeout, a
 * dropped connection or a 502 on the money call) or that a crash left `pending` (the call may or
 * may not have happened), after CyberSource's advised wait (RELIABILITY-FACTS §3.6: "wait 60
 * seconds, then look it up; if unresolved, send a timeout reversal/void"). `createStub` runs one
 * pass at start-up and then one every `intervalMs`; `close()` stops it and waits for a running
 * pass. Tests drive `runOnce()` on a fake clock.
 *
 * Also re-checks payments held for review (`review.ts`), every `reviewAfterMs`, so that a review
 * decided in the Business Center finishes the payment (and unblocks a renewal) here too.
 *
 * Also reverses the authorizations of risk-declined sales (`release-hold.ts`), so a rejected
 * order does not keep the shopper's funds on hold.
 *
 * Also starts the subscription of a plan whose payment was approved but whose subscription's
 * write failed (`plan-start.ts`), so a shopper told "charged" is subscribed.
 *
 * Also answers idempotency keys: a key whose request died after creating its row gets the final
 * answer once the row is final; a key whose request died before creating anything is released.
 */
import { randomUUID } from 'node:crypto';
import type { CheckoutContext } from '../checkout/context.ts';
import { errorSummary } from '../checkout/sessions.ts';
import type { Timeouts } from '../cybersource/client.ts';
import { expireAnsweredKeys, releaseOrphanKeys, staleLinkedKeys } from '../store/idempotency.ts';
import {
  findPayment,
  listHeldAuthorizations,
  listHeldPayments,
  listUnknownPayments,
  listUnstartedPlanPayments,
  touchUnresolvedPayment,
  touchUnstartedPlan,
} from '../store/payments.ts';
import { findRefund, listUnknownRefunds, touchUnresolvedRefund } from '../store/refunds.ts';
import { forgetExpiredSessions, forgetSpentTokens } from '../store/sessions.ts';
import { forgetIdleShoppers, type ShopperCursor } from '../store/shoppers.ts';
import { answer as answerPayment, type Resolution, reconcilePayment } from './payment.ts';
import { type PlanStartOutcome, startUnstartedPlan } from './plan-start.ts';
import { answer as answerRefund, reconcileRefund } from './refund.ts';
import { type HoldOutcome, releaseHold } from './release-hold.ts';
import { recheckReview } from './review.ts';
import type { ReconcileSettings } from './settings.ts';

const DAY_MS = 86_400_000;

export interface ReconcileReport {
  payments: Record<Resolution, number>;
  refunds: Record<Resolution, number>;
  /** Payments held for review that were looked up again, by what they are now. */
  reviews: Record<Resolution, number>;
  /** Authorizations of risk-declined sales whose reversal was tried, by how it went. */
  holds: Record<HoldOutcome, number>;
  /** Plans paid whose subscription's write failed, by what came of each (`plan-start.ts`). */
  plans: Record<PlanStartOutcome, number>;
  /** Keys left in flight by a dead request that never created a row, now released. */
  releasedKeys: number;
  /**
   * Answers of keys past their 24 hours expired; spent transient tokens past a day, checkout
   * sessions a day past their expiry, and shoppers left holding nothing, forgotten.
   */
  forgotten: number;
}

const empty = (): Record<Resolution, number> => ({
  succeeded: 0,
  declined: 0,
  review: 0,
  failed: 0,
  unresolved: 0,
});

export class Reconciler {
  readonly #ctx: CheckoutContext;
  readonly #settings: ReconcileSettings;
  readonly #timeouts: Timeouts;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<ReconcileReport> | undefined;
  #stopped = false;
  /** Where the last pass's look at idle shoppers stopped; the next one goes on from there. */
  #shoppersFrom: ShopperCursor | undefined;

  constructor(ctx: CheckoutContext, settings: ReconcileSettings, timeouts: Timeouts) {
    this.#ctx = ctx;
    this.#settings = settings;
    this.#timeouts = timeouts;
  }

  get settings(): ReconcileSettings {
    return this.#settings;
  }

  /** One pass now (the start-up pass), then one every `intervalMs` unless that is 0. */
  start(): void {
    if (this.#stopped) return;
    void this.#background();
    if (this.#settings.intervalMs > 0 && this.#timer === undefined) {
      this.#timer = setInterval(() => void this.#background(), this.#settings.intervalMs);
      // A reconciler alone must not keep a process alive (tests, renew-due).
      this.#timer.unref();
    }
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }

  /** One pass; concurrent callers share the pass in progress instead of racing it. */
  runOnce(): Promise<ReconcileReport> {
    if (this.#running) return this.#running;
    const pass = this.#pass().finally(() => {
      this.#running = undefined;
    });
    this.#running = pass;
    return pass;
  }

  async #background(): Promise<void> {
    if (this.#stopped || this.#running) return;
    try {
      const report = await this.runOnce();
      const touched =
        Object.values(report.payments).some((n) => n > 0) ||
        Object.values(report.refunds).some((n) => n > 0) ||
        Object.values(report.reviews).some((n) => n > 0) ||
        Object.values(report.holds).some((n) => n > 0) ||
        Object.values(report.plans).some((n) => n > 0) ||
        report.releasedKeys > 0 ||
        report.forgotten > 0;
      if (touched) this.#ctx.logger.info({ reconcile: report }, 'reconcile pass');
    } catch (err) {
      this.#ctx.logger.error({ err: errorSummary(err) }, 'reconcile pass failed');
    }
  }

  /**
   * One kind of work on each row, each under its own request id, counting what it came to; a
   * throw is logged and counted as `fallback` (the row is looked at again on a later pass).
   * `after` runs whatever the outcome, a throw's included. Stops early when the reconciler does.
   */
  async #each<Row extends { id: string }, R extends string>(
    rows: Row[],
    counts: Record<R, number>,
    onError: { fallback: R; idKey: 'paymentId' | 'refundId' },
    work: (row: Row, requestId: string) => Promise<R>,
    after?: (row: Row, outcome: R) => Promise<void>,
  ): Promise<void> {
    for (const row of rows) {
      if (this.#stopped) return;
      const requestId = `reconcile-${randomUUID()}`;
      let outcome = onError.fallback;
      try {
        outcome = await work(row, requestId);
      } catch (err) {
        this.#ctx.logger.error(
          { requestId, [onError.idKey]: row.id, err: errorSummary(err) },
          'reconcile',
        );
      }
      counts[outcome] += 1;
      await after?.(row, outcome);
    }
  }

  async #pass(): Promise<ReconcileReport> {
    const ctx = this.#ctx;
    const { afterMs, batch } = this.#settings;
    const now = ctx.now().getTime();
    // `unknown`: the call ended without an answer; wait as CyberSource asks. `pending`: the call
    // may still be running in a live request, so first wait out the longest money call (it has
    // surely timed out, and gone `unknown` if it could), then CyberSource's wait. A key in
    // flight with no row: its request may be a slow session call (two calls plus a key fetch).
    const before = {
      unknown: new Date(now - afterMs),
      pending: new Date(now - (afterMs + this.#timeouts.paymentMs)),
    };
    const keysBefore = new Date(
      now - Math.max(afterMs, this.#timeouts.paymentMs, 3 * this.#timeouts.defaultMs),
    );
    const report: ReconcileReport = {
      payments: empty(),
      refunds: empty(),
      reviews: empty(),
      holds: { released: 0, failed: 0, retrying: 0 },
      plans: { started: 0, given_up: 0, retrying: 0, settled: 0 },
      releasedKeys: 0,
      forgotten: 0,
    };

    await this.#each(
      await listUnknownPayments(ctx.db, batch, before),
      report.payments,
      { fallback: 'unresolved', idKey: 'paymentId' },
      (row, requestId) => reconcilePayment(ctx, row, requestId),
      async (row, resolution) => {
        if (resolution === 'unresolved') await touchUnresolvedPayment(ctx.db, row.id, ctx.now());
      },
    );
    if (this.#stopped) return report;
    await this.#each(
      await listUnknownRefunds(ctx.db, batch, before),
      report.refunds,
      { fallback: 'unresolved', idKey: 'refundId' },
      async (row, requestId) => {
        const payment = await findPayment(ctx.db, row.payment_id);
        return reconcileRefund(ctx, row, payment?.currency ?? '', requestId);
      },
      async (row, resolution) => {
        if (resolution === 'unresolved') await touchUnresolvedRefund(ctx.db, row.id, ctx.now());
      },
    );
    if (this.#stopped) return report;
    // Held for review: a person decides in the Business Center; ask again now and then.
    await this.#each(
      await listHeldPayments(ctx.db, batch, new Date(now - this.#settings.reviewAfterMs)),
      report.reviews,
      { fallback: 'unresolved', idKey: 'paymentId' },
      (row, requestId) => recheckReview(ctx, row, requestId),
    );
    if (this.#stopped) return report;
    // A risk-declined sale's authorization still holds the shopper's funds: release it.
    await this.#each(
      await listHeldAuthorizations(ctx.db, batch, ctx.now()),
      report.holds,
      { fallback: 'retrying', idKey: 'paymentId' },
      (row, requestId) => releaseHold(ctx, row, requestId, afterMs),
    );
    if (this.#stopped) return report;
    // A plan paid whose subscription's write failed: started from its payment. Only once the
    // request that was charged is surely over, its card kept and its own start tried: after
    // the approval was recorded, keeping a card makes up to six TMS calls (a duplicate's list,
    // patch and delete; the instrument identifier), reads retried, so ten of the other calls'
    // timeout, on top of CyberSource's wait (3 min 10 s by default). One that must wait again
    // goes behind the others.
    await this.#each(
      await listUnstartedPlanPayments(
        ctx.db,
        batch,
        new Date(before.pending.getTime() - 10 * this.#timeouts.defaultMs),
      ),
      report.plans,
      { fallback: 'retrying', idKey: 'paymentId' },
      (row, requestId) => startUnstartedPlan(ctx, row, requestId),
      async (row, outcome) => {
        if (outcome === 'retrying') await touchUnstartedPlan(ctx.db, row.id, ctx.now());
      },
    );
    if (this.#stopped) return report;
    // Keys a crash left in flight after their row was finished (crash between the two writes),
    // and keys answered 500 whose row is final by now.
    for (const { resourceId } of await staleLinkedKeys(ctx.db, before.pending, batch)) {
      if (resourceId.startsWith('ref_')) {
        if (await findRefund(ctx.db, resourceId)) await answerRefund(ctx, resourceId);
      } else if (await findPayment(ctx.db, resourceId)) {
        await answerPayment(ctx, resourceId);
      }
    }
    report.releasedKeys = await releaseOrphanKeys(ctx.db, keysBefore);
    // A key's promise lasts 24 hours (RELIABILITY-FACTS §2.1): its stored answer goes, the key
    // stays as a tombstone; a spent token's row matters only while the token could still verify
    // (15 minutes); a session, with its capture context, only until it expires (every page view
    // starts one); a shopper row only while it holds something (every new visitor writes one),
    // so after the sessions. A batch per pass keeps each pass short; a backlog clears over a few
    // passes.
    const dayAgo = new Date(now - DAY_MS);
    report.forgotten =
      (await expireAnsweredKeys(ctx.db, dayAgo, 10 * batch)) +
      (await forgetSpentTokens(ctx.db, dayAgo, 10 * batch)) +
      (await forgetExpiredSessions(ctx.db, dayAgo, 10 * batch));
    const shoppers = await forgetIdleShoppers(ctx.db, dayAgo, 10 * batch, this.#shoppersFrom);
    this.#shoppersFrom = shoppers.next;
    report.forgotten += shoppers.forgotten;
    return report;
  }
}
