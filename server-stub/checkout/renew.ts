/**
 * @module Renewing a subscription (DESIGN.md flow table): a merchant-initiated sale on the
 * stored credential, citing the first payment's network transaction id (API-FACTS §2.4).
 * The unique index on (subscription, period) makes a second live renewal of one period
 * impossible, whoever starts it (admin endpoint, renew-due, another process).
 */
import { addInterval } from '../config/catalog.ts';
import { createPayment } from '../cybersource/payments.ts';
import { StubError, stubError } from '../errors.ts';
import { Currency } from '../money.ts';
import { currentHeldKey } from '../store/idempotency.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { insertPendingPayment } from '../store/payments.ts';
import type { PaymentRow, SubscriptionRow } from '../store/rows.ts';
import { advancePeriod, findSubscription, setSubscriptionStatus } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { newId, newTransactionId } from './ids.ts';
import { settlePayment } from './payment-outcome.ts';
import { renewalPayment } from './payment-requests.ts';
import { paymentView, subscriptionView } from './views.ts';

export interface RenewOptions {
  /** The period the caller means to charge; anything else (already renewed) is refused. */
  expectedPeriod?: number | undefined;
  /** Refuse unless the paid period has ended (renew-due); the admin "renew now" omits it. */
  onlyIfDue?: boolean | undefined;
}

export async function renewSubscription(
  ctx: CheckoutContext,
  subscriptionId: string,
  requestId: string,
  options: RenewOptions = {},
) {
  const sub = await findSubscription(ctx.db, subscriptionId);
  if (!sub) throw stubError('subscription_not_found');
  if (sub.status === 'canceled') throw stubError('subscription_not_renewable');
  const currency = Currency.safeParse(sub.currency);
  if (!currency.success) throw stubError('subscription_not_renewable');
  const period = sub.current_period + 1;
  // Re-checked on the fresh row: an overlapping run may have renewed it since it was listed.
  if (options.expectedPeriod !== undefined && period !== options.expectedPeriod)
    throw stubError('subscription_not_renewable', {
      message: 'This subscription period was already renewed.',
      details: { expectedPeriod: options.expectedPeriod, nextPeriod: period },
    });
  if (options.onlyIfDue && sub.current_period_end.getTime() > ctx.now().getTime())
    throw stubError('subscription_not_renewable', {
      message: 'This subscription is not due for renewal yet.',
      details: { currentPeriodEnd: sub.current_period_end.toISOString() },
    });
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
    { linkKey: currentHeldKey() },
  );
  if (!written.written) throw stubError('renewal_in_progress');
  const pending = written.row;

  const request = renewalPayment(
    common,
    sub.customer_id,
    sub.payment_method_id,
    sub.network_transaction_id,
  );
  const outcome = await createPayment(ctx.client, request, requestId);
  try {
    const approved = await settlePayment(ctx, pending, outcome, requestId);
    return await completeApprovedRenewal(ctx, sub, approved.row);
  } catch (err) {
    if (err instanceof StubError && err.code === 'card_declined') {
      await setSubscriptionStatus(ctx.db, sub.id, 'past_due', ctx.now());
    }
    throw err;
  }
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
  const start = sub.current_period_end;
  const end = addInterval(start, sub.interval, sub.interval_count);
  if (row.period !== null) await advancePeriod(ctx.db, sub.id, row.period, start, end, ctx.now());
  const renewed = await findSubscription(ctx.db, sub.id);
  return {
    payment: paymentView(row),
    ...(renewed ? { subscription: subscriptionView(renewed) } : {}),
  };
}
