/**
 * @module What a failed renewal does to its subscription (server-stub/README.md "Renewal
 * retries"): a soft decline is tried again 1, 3 and 7 days after the period's first failure, at
 * most 4 attempts per period, then the subscription is `unpaid`; a hard decline (no retry of the
 * same card can be approved) makes it `unpaid` at once. Shared by the live renewal
 * (`renew.ts`) and the reconciler, which finishes renewals whose answer was lost or that were
 * held for review.
 */
import type { PaymentRow } from '../store/rows.ts';
import { lockSubscription, recordFailedRenewal } from '../store/subscriptions.ts';
import { type CheckoutContext, inTransaction } from './context.ts';

/** Days after the first failed attempt of a period on which it is tried again. */
export const RENEWAL_RETRY_DAYS = [1, 3, 7] as const;
/** The attempt at the period's end plus one per retry day. */
export const MAX_RENEWAL_ATTEMPTS = RENEWAL_RETRY_DAYS.length + 1;

const DAY_SECONDS = 86_400;
/** Seconds from the n-th failure (0-based) to the next attempt: 1 day, then 2, then 4. */
export const RETRY_DELAYS_SECONDS = RENEWAL_RETRY_DAYS.map(
  (day, i) => (day - (i === 0 ? 0 : (RENEWAL_RETRY_DAYS[i - 1] ?? 0))) * DAY_SECONDS,
);

/**
 * Decline reasons (API-FACTS §2.5 `errorInformation.reason`, plus our own `REVIEW_REJECTED`) that
 * say the card or the shopper cannot be charged again as is: the card is gone (expired, lost,
 * stolen, closed, invalid), the cardholder or the issuer stopped it, or the merchant's own
 * screening or reviewer refused it. A retry only repeats the refusal; the card networks count
 * and can charge for such re-attempts [decision; RELIABILITY-FACTS has no network retry rule].
 */
export const HARD_DECLINES: ReadonlySet<string> = new Set([
  'EXPIRED_CARD',
  'STOLEN_LOST_CARD',
  'INVALID_ACCOUNT',
  'SUSPENDED_ACCOUNT',
  'BLOCKED_BY_CARDHOLDER',
  'UNAUTHORIZED_CARD',
  'BLACKLISTED_CUSTOMER',
  'CUSTOMER_WATCHLIST_MATCH',
  'ADDRESS_COUNTRY_WATCHLIST_MATCH',
  'EMAIL_COUNTRY_WATCHLIST_MATCH',
  'IP_COUNTRY_WATCHLIST_MATCH',
  // The merchant's Decision Manager profile rejected it (AUTHORIZED_RISK_DECLINED, or a decline
  // before authorization): the same profile judges the same card and subscription again. A risk
  // decline that names no reason is recorded under its status (`reason ?? status`): the same.
  'DECISION_PROFILE_REJECT',
  'AUTHORIZED_RISK_DECLINED',
  'SCORE_EXCEEDS_THRESHOLD',
  'REVIEW_REJECTED',
]);

export interface FailedRenewal {
  subscriptionId: string;
  period: number;
  paymentId: string;
  /** CyberSource's reason (a decline's `errorInformation.reason`, or a rejection's `reason`). */
  reason: string;
  /** `invalid_request`: CyberSource refused the request itself (not a decline). */
  kind: 'decline' | 'invalid_request';
  /** When the renewal was sent (its row's creation): one sent before its period ended counts nothing. */
  attemptedAt: Date;
}

/**
 * Runs `fn` (which finishes `row`) in one transaction, a renewal's subscription locked first
 * (`lockSubscription` says why): a renewal that did not pay is recorded together with its count
 * in the schedule (`recordRenewalFailure`, inside `fn`), so no other process ever finds its
 * period free with the schedule not yet moved on. Other kinds: a plain transaction.
 */
export function inRenewalTransaction<T>(
  ctx: CheckoutContext,
  row: PaymentRow,
  fn: (tx: CheckoutContext) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, async (tx) => {
    if (row.kind === 'renewal' && row.subscription_id !== null)
      await lockSubscription(tx.db, row.subscription_id);
    return fn(tx);
  });
}

/** Counts the failure and schedules the next attempt, or ends the retries. */
export async function recordRenewalFailure(
  ctx: CheckoutContext,
  f: FailedRenewal,
  requestId: string,
): Promise<void> {
  const hard = f.kind === 'decline' && HARD_DECLINES.has(f.reason);
  const sub = await recordFailedRenewal(ctx.db, {
    id: f.subscriptionId,
    period: f.period,
    paymentId: f.paymentId,
    reason: f.reason,
    terminal: hard,
    delaysSeconds: RETRY_DELAYS_SECONDS,
    maxAttempts: MAX_RENEWAL_ATTEMPTS,
    now: ctx.now(),
    attemptedAt: f.attemptedAt,
  });
  const log = ctx.logger.child({
    requestId,
    subscriptionId: f.subscriptionId,
    paymentId: f.paymentId,
    period: f.period,
    reason: f.reason,
  });
  if (!sub) {
    log.info(
      'renewal failure not counted: counted already, the subscription has moved on, or its period has not ended (an early renewal)',
    );
    return;
  }
  const state = {
    status: sub.status,
    attempts: sub.renewal_attempts,
    nextAttemptAt: sub.next_renewal_at?.toISOString() ?? null,
  };
  // An invalid request is our side or the stored credential (e.g. its card was deleted in TMS):
  // a person has to look, whatever the schedule does.
  if (f.kind === 'invalid_request')
    log.error(state, 'renewal rejected by CyberSource as invalid; subscription needs attention');
  else if (sub.status === 'unpaid')
    log.warn(
      state,
      hard ? 'renewal hard-declined; subscription unpaid' : 'renewal retries spent; unpaid',
    );
  else log.info(state, 'renewal declined; retry scheduled');
}
