/**
 * @module A plan's subscription started late, from the first payment that paid for it: the
 * approval was recorded but the subscription's write right after it failed (a lost database
 * connection; `pay.ts` answered "charged" and logged it). The reconciler starts it a few
 * minutes on (`reconcile/plan-start.ts`), and the shopper's next purchase of the plan does,
 * instead of a second charge (`pay.ts`); whichever comes first, the other is refused
 * (`startSubscriptionFromPayment`).
 */
import { detailsTokens } from '../../cybersource/payments/index.ts';
import { type Plan, periodEnd } from '../config/catalog.ts';
import { getTransaction } from '../cybersource/transactions.ts';
import { StubError } from '../errors.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { isBeingRemoved } from '../store/removal-hold.ts';
import type { PaymentRow } from '../store/rows.ts';
import { type PlanStartRefusal, startSubscriptionFromPayment } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { newId } from './ids.ts';
import type { PayResult } from './pay.ts';
import { tmsNetworkTransactionId } from './stored-credential.ts';
import { paymentView, subscriptionView } from './views.ts';

/** Why a paid plan cannot start from its payment, whoever asks again. */
export type CannotStart =
  /** The period it paid for is over: starting now would renew at once. */
  | 'period_over'
  /** The card it kept is not the shopper's saved card (never kept, or removed since). */
  | 'no_card'
  /** A removal holds the card (another tab): its renewals would charge a card being deleted. */
  | 'card_being_removed';

export type LateStart =
  | { started: PayResult }
  | { cannot: CannotStart }
  | { refused: PlanStartRefusal };

/**
 * Starts the subscription `row` (an approved first payment for `plan`, without one) paid for,
 * its first period running from that payment, as if it had started then: the time since is not
 * given free, and renewals count periods from the start (`renew.ts`). The card is the one kept
 * with it: on the row once the flow went that far (`completeApprovedPayment` records it before
 * the start), else the one the sale's TOKEN_CREATE made, named in Transaction Details. Without a
 * network transaction id on the row, the one TMS keeps with the card (`stored-credential.ts`);
 * with none there either, its renewals name the card alone (`renewalPayment`). A read that
 * fails throws (nothing is charged; the reconciler tries again later).
 */
export async function startFromPaidPayment(
  ctx: CheckoutContext,
  shopperId: string,
  plan: Plan,
  row: PaymentRow,
  requestId: string,
): Promise<LateStart> {
  const periodStart = row.created_at;
  const end = periodEnd(periodStart, plan.interval, plan.intervalCount, 1);
  if (end <= ctx.now()) return { cannot: 'period_over' };
  let method = row.payment_method_id
    ? await findShopperPaymentMethod(ctx.db, shopperId, row.payment_method_id)
    : undefined;
  if (!method && row.cybersource_id) {
    const details = await getTransaction(ctx.client, row.cybersource_id, requestId);
    const { paymentInstrumentId } = detailsTokens(details);
    if (paymentInstrumentId)
      method = await findShopperPaymentMethod(ctx.db, shopperId, paymentInstrumentId);
  }
  if (!method) return { cannot: 'no_card' };
  if (isBeingRemoved(method, ctx.now())) return { cannot: 'card_being_removed' };
  let networkTransactionId = row.network_transaction_id ?? undefined;
  try {
    networkTransactionId ??= await tmsNetworkTransactionId(ctx, method, requestId);
  } catch (err) {
    // TMS no longer has the card: it cannot pay renewals. Any other failure is thrown.
    if (err instanceof StubError && err.code === 'not_found') return { cannot: 'no_card' };
    throw err;
  }
  const started = await startSubscriptionFromPayment(
    ctx.db,
    row.id,
    {
      id: newId('sub'),
      shopperId,
      planId: plan.id,
      customerId: method.customer_id,
      paymentMethodId: method.id,
      amount: row.amount,
      currency: row.currency,
      interval: plan.interval,
      intervalCount: plan.intervalCount,
      networkTransactionId,
      periodStart,
      periodEnd: end,
      createdAt: periodStart,
    },
    ctx.now(),
  );
  if ('refused' in started) return started;
  return {
    started: {
      payment: paymentView(started.payment),
      subscription: subscriptionView(started.subscription),
    },
  };
}
