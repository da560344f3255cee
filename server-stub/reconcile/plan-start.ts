/**
 * @module Starting the subscription of a plan whose first payment was approved but whose
 * subscription's write failed right after (a lost database connection): the shopper was told
 * "charged" and believes they are subscribed, while nothing would ever renew. A minute on, the
 * reconciler starts it from that payment, no new charge (`checkout/plan-start.ts`); before this,
 * only the shopper's next purchase of the plan did.
 *
 *   approved, no subscription ──(RECONCILE_AFTER_SECONDS untouched; the reconciler's pass)──▶
 *     started from the payment                             ──▶ started (logged at warn)
 *     a renewal of an earlier subscription to it is        ──▶ retrying (next pass: that renewal
 *       unresolved; Transaction Details unreachable             approved makes this one "live")
 *     started or refunded meanwhile by someone else        ──▶ settled
 *     its period over, no card or stored credential, the   ──▶ given up: marked (migration 025),
 *       card being removed, another subscription live,         logged once for an operator to
 *       the plan gone from the catalog                         refund, never tried again
 *
 * A refund of the payment takes it off the list; a purchase or another pass starting it first
 * leaves this one refused by `startSubscriptionFromPayment`.
 */
import type { CheckoutContext } from '../checkout/context.ts';
import { startFromPaidPayment } from '../checkout/plan-start.ts';
import { givePlanStartUp } from '../store/payments.ts';
import type { PaymentRow } from '../store/rows.ts';

/** `settled`: started or refunded by someone else meanwhile; nothing left to do here. */
export type PlanStartOutcome = 'started' | 'given_up' | 'retrying' | 'settled';

export async function startUnstartedPlan(
  ctx: CheckoutContext,
  row: PaymentRow,
  requestId: string,
): Promise<PlanStartOutcome> {
  const log = { requestId, paymentId: row.id, planId: row.item_id };
  const plan = ctx.catalog.plans.find((p) => p.id === row.item_id);
  const late =
    plan && row.shopper_id
      ? await startFromPaidPayment(ctx, row.shopper_id, plan, row, requestId)
      : { cannot: 'plan_not_in_catalog' as const };
  if ('started' in late) {
    ctx.logger.warn(
      log,
      'plan paid but its subscription never started; started it from that payment, no new charge',
    );
    return 'started';
  }
  if ('refused' in late && late.refused === 'payment_changed') return 'settled';
  if ('refused' in late && late.refused === 'renewing') return 'retrying';
  await givePlanStartUp(ctx.db, row.id, ctx.now());
  ctx.logger.error(
    { ...log, reason: 'cannot' in late ? late.cannot : late.refused },
    'plan paid but its subscription never started, and it cannot start from that payment: refund it',
  );
  return 'given_up';
}
