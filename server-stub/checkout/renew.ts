/**
 * @module Renewing a subscription (DESIGN.md flow table): a merchant-initiated sale on the
 * stored credential, citing the first payment's network transaction id (API-FACTS §2.4).
 * The unique index on (subscription, period) makes a second live renewal of one period
 * impossible, whoever starts it (admin endpoint, renew-due, another process). A failed renewal
 * goes through the retry schedule (`renewal-retries.ts`).
 */
import { periodEnd } from '../config/catalog.ts';
import { createPayment } from '../cybersource/payments.ts';
import { StubError, stubError } from '../errors.ts';
import { Currency } from '../money.ts';
import { currentHeldKey } from '../store/idempotency.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { findLiveRenewal, insertPendingPayment } from '../store/payments.ts';
import type { PaymentRow, SubscriptionRow } from '../store/rows.ts';
import { advancePeriod, findSubscription } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { newId, newTransactionId } from './ids.ts';
import { settlePayment } from './payment-outcome.ts';
import { renewalPayment } from './payment-requests.ts';
import { inRenewalTransaction, recordRenewalFailure } from './renewal-retries.ts';
import { errorSummary } from './sessions.ts';
import { paymentView, subscriptionView } from './views.ts';

export interface RenewOptions {
  /**
   * The period the caller means to charge; anything else (already renewed, or a stale panel) is
   * refused with `renewal_period_mismatch` before any upstream call.
   */
  expectedPeriod: number;
  /**
   * Refuse unless the paid period has ended and the retry schedule allows an attempt now
   * (renew-due); the admin "renew now" omits it.
   */
  onlyIfDue?: boolean | undefined;
  /**
   * The last failed attempt of the period the caller saw (the admin "renew now" of a panel that
   * says; `null`: none). Another counted since, in this process or another, is refused 409
   * `renewal_attempted_since`, nothing charged: the card was refused moments ago. The payment id
   * only moves forward within a period, where the attempt count goes back down on a card change.
   */
  lastFailureSeen?: string | null | undefined;
}

/**
 * A renewal paid this recently and not yet advanced is the charging run's to advance (its next
 * write, milliseconds away), not a process that stopped in between.
 */
const PAID_JUST_NOW_MS = 60_000;

export async function renewSubscription(
  ctx: CheckoutContext,
  subscriptionId: string,
  requestId: string,
  options: RenewOptions,
) {
  const sub = await findSubscription(ctx.db, subscriptionId);
  if (!sub) throw stubError('subscription_not_found');
  if (sub.status === 'canceled') throw stubError('subscription_not_renewable');
  // Retries spent or a hard decline: charging the same card again is what the schedule forbids.
  if (sub.status === 'unpaid')
    throw stubError('subscription_not_renewable', {
      message: 'This subscription is unpaid: its card cannot be charged again as is.',
      ...(sub.renewal_failure_reason ? { reason: sub.renewal_failure_reason } : {}),
    });
  const currency = Currency.safeParse(sub.currency);
  if (!currency.success) throw stubError('subscription_not_renewable');
  const period = sub.current_period + 1;
  // Checked on the fresh row: a second "renew now" (a retry with a fresh Idempotency-Key) or an
  // overlapping renew-due run names a period that was renewed since; it must not bill again.
  if (period !== options.expectedPeriod)
    throw stubError('renewal_period_mismatch', {
      details: { requestedPeriod: options.expectedPeriod, nextPeriod: period },
    });
  const now = ctx.now().getTime();
  if (options.onlyIfDue && sub.current_period_end.getTime() > now)
    throw stubError('subscription_not_renewable', {
      message: 'This subscription is not due for renewal yet.',
      details: { currentPeriodEnd: sub.current_period_end.toISOString() },
    });
  if (options.onlyIfDue && sub.next_renewal_at && sub.next_renewal_at.getTime() > now)
    throw stubError('subscription_not_renewable', {
      message: 'The next renewal attempt of this subscription is not due yet.',
      details: { nextAttemptAt: sub.next_renewal_at.toISOString() },
    });
  const attemptedSince = (lastFailurePaymentId?: string | null) =>
    stubError('renewal_attempted_since', {
      details: {
        requestedLastFailurePaymentId: options.lastFailureSeen,
        ...(lastFailurePaymentId === undefined ? {} : { lastFailurePaymentId }),
      },
    });
  const seen = options.lastFailureSeen;
  if (seen !== undefined && (sub.renewal_failure_payment_id ?? null) !== seen)
    throw attemptedSince(sub.renewal_failure_payment_id ?? null);
  const paymentId = newId('pay');
  const common = {
    code: paymentId,
    transactionId: newTransactionId(),
    amount: sub.amount,
    currency: currency.data,
  };
  // The stored card's brand and last 4, so the merchant's list shows what was charged.
  const card = await findShopperPaymentMethod(ctx.db, sub.shopper_id, sub.payment_method_id);
  // Linked with the pending row: the reconciler answers this key once it is resolved.
  const written = await insertPendingPayment(
    ctx.db,
    {
      id: paymentId,
      kind: 'renewal',
      shopperId: sub.shopper_id,
      sessionId: undefined,
      itemId: sub.plan_id,
      subscriptionId: sub.id,
      period,
      amount: sub.amount,
      currency: sub.currency,
      transactionId: common.transactionId,
      referenceCode: paymentId,
      paymentMethodId: sub.payment_method_id,
      customerId: sub.customer_id,
      cardBrand: card?.brand,
      cardLast4: card?.last4,
      createdAt: ctx.now(),
    },
    {
      linkKey: currentHeldKey(),
      dueBy: options.onlyIfDue ? ctx.now() : undefined,
      lastFailureSeen: seen,
    },
  );
  if (!written.written) {
    // Canceled (or gone unpaid) since it was read above: nothing is sent.
    if (written.why === 'not_live') throw stubError('subscription_not_renewable');
    // Its shopper changed its card since it was read above: the card read is not the one to
    // charge (renew-due skips it; the next run charges the new card).
    if (written.why === 'card_changed')
      throw stubError('subscription_not_renewable', {
        message:
          "The subscription's card was changed as this renewal started; nothing was charged.",
      });
    // An overlapping run's attempt failed since it was read above: the merchant's panel did not
    // see it, or (renew-due) its next try is later.
    if (written.why === 'not_due' && seen !== undefined) throw attemptedSince();
    if (written.why === 'not_due')
      throw stubError('subscription_not_renewable', {
        message: 'The next renewal attempt of this subscription is not due yet.',
      });
    // Paid but never advanced: finish that instead of charging again, or the subscription
    // would be refused `renewal_in_progress` forever. Unless paid moments ago, in a scheduled
    // run: an overlapping run (another cron host) charged it and is advancing the period now;
    // left to it, so one run reports the renewal and no "not advanced" alarm is raised for a
    // write still coming. A run a minute later repairs one whose process stopped in between;
    // "renew now" repairs at once. One read decides (read twice, the charge could finish in
    // between, as it did under HTTP signature's timing).
    const { advanced } = await renewalOfPeriod(
      ctx,
      sub,
      period,
      requestId,
      options.onlyIfDue ? PAID_JUST_NOW_MS : 0,
    );
    if (advanced) return advanced;
    throw stubError('renewal_in_progress');
  }
  const pending = written.row;

  const request = renewalPayment(
    common,
    sub.customer_id,
    sub.payment_method_id,
    sub.network_transaction_id ?? undefined,
    // The payment the network transaction id names: the first payment (pay.ts starts the
    // subscription from that row, at its amount), or the new card's own after a card change.
    { brand: card?.brand, amount: sub.cited_amount ?? sub.amount },
  );
  const outcome = await createPayment(ctx.client, request, requestId);
  // A failure is recorded and counted in one transaction: finishing the row frees the period's
  // unique index, and an overlapping renew-due (another process) must never find the period
  // free with the retry schedule not yet moved on (its insert re-reads it: `dueBy`).
  const settled = await inRenewalTransaction(ctx, pending, async (tx) => {
    try {
      return { approved: await settlePayment(tx, pending, outcome, requestId) };
    } catch (err) {
      const failure = renewalFailureOf(err);
      if (failure)
        await recordRenewalFailure(
          tx,
          {
            subscriptionId: sub.id,
            period,
            paymentId,
            attemptedAt: pending.created_at,
            ...failure,
          },
          requestId,
        );
      return { err };
    }
  });
  // Declined, invalid, held for review or outcome unknown (the reconciler finishes those two).
  if (!('approved' in settled)) throw settled.err;
  const { approved } = settled;
  try {
    return await completeApprovedRenewal(ctx, sub, approved.row);
  } catch (err) {
    // Charged: the answer must say so, not 500. The next renewal of this period (renew-due,
    // or "renew now") finds the paid row and advances the period instead of charging again.
    ctx.logger.error(
      { requestId, subscriptionId: sub.id, paymentId, err: errorSummary(err) },
      'renewal paid but its period could not be advanced',
    );
    return { payment: paymentView(approved.row) };
  }
}

/**
 * A decline, or CyberSource refusing the request itself (a 400 or a 201 INVALID_REQUEST, e.g. the
 * stored card is gone from TMS): either way this period is not paid and must not look `active`.
 */
function renewalFailureOf(
  err: unknown,
): { reason: string; kind: 'decline' | 'invalid_request' } | undefined {
  if (!(err instanceof StubError)) return undefined;
  if (err.code === 'card_declined') return { reason: err.reason ?? 'DECLINED', kind: 'decline' };
  if (err.code === 'gateway_invalid_request')
    return { reason: err.reason ?? 'INVALID_REQUEST', kind: 'invalid_request' };
  return undefined;
}

/**
 * The renewal holding `period` (pending, unknown, under review or paid). A paid one whose period
 * never moved on (the process stopped, or the write failed, between recording the payment and
 * advancing) is advanced now, and its result comes back as `advanced`. Shared by a renewal
 * refused by that period's index and by a cancellation, after which no renewal comes to repair it.
 */
export async function renewalOfPeriod(
  ctx: CheckoutContext,
  sub: SubscriptionRow,
  period: number,
  requestId: string,
  /** A paid one finished more recently than this is left as it is (its own run advances it). */
  olderThanMs = 0,
): Promise<{
  holder: PaymentRow | undefined;
  advanced?: Awaited<ReturnType<typeof completeApprovedRenewal>>;
}> {
  const holder = await findLiveRenewal(ctx.db, sub.id, period);
  if (holder?.status !== 'succeeded') return { holder };
  if (ctx.now().getTime() - holder.updated_at.getTime() < olderThanMs) return { holder };
  ctx.logger.warn(
    { requestId, subscriptionId: sub.id, paymentId: holder.id, period },
    'renewal was paid but its period not advanced; advanced now',
  );
  return { holder, advanced: await completeApprovedRenewal(ctx, sub, holder) };
}

/**
 * After an approved renewal: the subscription moves to the paid period. Shared with the
 * reconciler, which finishes a renewal whose answer was lost (RELIABILITY-FACTS §3.6).
 */
export async function completeApprovedRenewal(
  ctx: CheckoutContext,
  sub: SubscriptionRow,
  row: PaymentRow,
) {
  if (row.period !== null) {
    const now = ctx.now();
    // Counted from the first period's start (the subscription's creation), so a monthly plan
    // keeps its day of the month (`periodEnd`).
    const end = (period: number) =>
      periodEnd(sub.created_at, sub.interval, sub.interval_count, period);
    // One approval pays one period: the one it was sent for, or, when that one has ended too
    // (a daily or weekly plan whose retries, days apart, outlast its periods; a renew-due run
    // days late), the one now running. The periods that ended unpaid meanwhile are skipped,
    // never charged afterwards: otherwise each renew-due run after the approval charged one
    // more of them at once (a daily plan approved on its 7th day of retries: 8 charges in 8
    // hours). README "Renewal retries".
    let paid = row.period;
    while (end(paid).getTime() <= now.getTime()) paid += 1;
    if (paid !== row.period)
      ctx.logger.info(
        { subscriptionId: sub.id, paymentId: row.id, period: row.period, paysPeriod: paid },
        'renewal approved after its period ended; the periods that ended unpaid are skipped',
      );
    const start = paid === row.period ? sub.current_period_end : end(paid - 1);
    await advancePeriod(ctx.db, sub.id, {
      from: row.period - 1,
      to: paid,
      start,
      end: end(paid),
      now,
    });
  }
  // Read after the advance: `sub` may predate a cancellation that landed while the sale ran.
  const renewed = await findSubscription(ctx.db, sub.id);
  if (renewed?.status === 'canceled') {
    // Sent before the cancellation landed (its answer named it): paid, but maybe not wanted.
    ctx.logger.warn(
      { subscriptionId: sub.id, paymentId: row.id, period: row.period },
      'renewal approved after the subscription was canceled; refund it if the period is not owed',
    );
  }
  return {
    payment: paymentView(row),
    ...(renewed ? { subscription: subscriptionView(renewed) } : {}),
  };
}
