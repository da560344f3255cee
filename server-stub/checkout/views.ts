/**
 * @module What the stub's JSON answers show of its rows. Shoppers see little; the merchant
 * panel sees CyberSource ids too. Never card data beyond brand and last four.
 */
import type { PaymentRow, RefundRow, SubscriptionRow } from '../store/rows.ts';

export function paymentView(p: PaymentRow) {
  return {
    id: p.id,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    card: { brand: p.card_brand ?? 'unknown', last4: p.card_last4 ?? '????' },
    ...(p.refunded_amount > 0 ? { refundedAmount: p.refunded_amount } : {}),
  };
}

export function adminPaymentView(p: PaymentRow) {
  return {
    ...paymentView(p),
    refundedAmount: p.refunded_amount,
    kind: p.kind,
    itemId: p.item_id,
    shopperId: p.shopper_id,
    subscriptionId: p.subscription_id,
    period: p.period,
    cybersourceId: p.cybersource_id,
    transactionId: p.transaction_id,
    referenceCode: p.reference_code,
    declineReason: p.decline_reason,
    /** A risk-declined sale's authorization: `held` until reversed, then `released` or `release_failed`. */
    authorizationHold: p.auth_hold,
    /** A plan paid whose subscription could not be started from it: refund it (the log says why). */
    planStartGivenUpAt: p.plan_start_given_up_at?.toISOString() ?? null,
    createdAt: p.created_at.toISOString(),
    updatedAt: p.updated_at.toISOString(),
  };
}

export function subscriptionView(s: SubscriptionRow) {
  return {
    id: s.id,
    planId: s.plan_id,
    status: s.status,
    amount: s.amount,
    currency: s.currency,
    interval: s.interval,
    intervalCount: s.interval_count,
    currentPeriod: s.current_period,
    currentPeriodStart: s.current_period_start.toISOString(),
    currentPeriodEnd: s.current_period_end.toISOString(),
    paymentMethodId: s.payment_method_id,
    /** Set once canceled: no renewal after `currentPeriodEnd`. */
    canceledAt: s.canceled_at?.toISOString() ?? null,
    /** Who canceled it: a shopper resumes only their own cancellation (`checkout/resume.ts`). */
    canceledBy: s.status === 'canceled' ? (s.canceled_by ?? 'merchant') : null,
  };
}

/**
 * The panel's subscription, with where its renewal retry schedule stands. A renewal sent and not
 * final yet (`inFlight`: pending, outcome unknown, or held for review) is shown instead of a next
 * attempt: nothing is attempted while it stands (the reconciler finishes it), and the time the
 * schedule had set would read as overdue.
 */
export function adminSubscriptionView(s: SubscriptionRow, inFlight?: PaymentRow | undefined) {
  const live = s.status === 'active' || s.status === 'past_due';
  return {
    ...subscriptionView(s),
    shopperId: s.shopper_id,
    customerId: s.customer_id,
    createdAt: s.created_at.toISOString(),
    renewal: {
      attempts: s.renewal_attempts,
      nextAttemptAt:
        live && !inFlight ? (s.next_renewal_at ?? s.current_period_end).toISOString() : null,
      inFlight: inFlight
        ? { paymentId: inFlight.id, period: inFlight.period, status: inFlight.status }
        : null,
      lastFailureReason: s.renewal_failure_reason,
      /** The last failed attempt counted this period: renew now names it (`lastFailurePaymentId`). */
      lastFailurePaymentId: s.renewal_failure_payment_id,
    },
  };
}

/**
 * A cancellation's answer: the subscription as `view` shows it, and the renewal it could not stop
 * (sent before it, not final yet), if any.
 */
export function canceledView<V>(
  c: { subscription: SubscriptionRow; renewalInFlight: PaymentRow | undefined },
  view: (s: SubscriptionRow) => V,
) {
  const r = c.renewalInFlight;
  return {
    subscription: view(c.subscription),
    ...(r ? { renewalInFlight: { paymentId: r.id, period: r.period, status: r.status } } : {}),
  };
}

export function refundView(r: RefundRow, currency: string) {
  return {
    id: r.id,
    paymentId: r.payment_id,
    amount: r.amount,
    currency,
    status: r.status,
    cybersourceId: r.cybersource_id,
    /** Why a refund is `failed` or `declined` (CyberSource's reason, or the reconciler's). */
    failureReason: r.failure_reason,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
