/**
 * @module Starting the subscription of a plan whose first payment was approved but whose
 * subscription's write failed right after (a lost database connection): the shopper was told
 * "charged" and believes they are subscribed, while nothing would ever renew. A few minutes on,
 * the reconciler starts it from that payment, no new charge (`checkout/plan-start.ts`); before
 * this, only the shopper's next purchase of the plan did.
 *
 *   approved, no subscription ──(untouched for the wait below; the reconciler's pass)──▶
 *     started from the payment                             ──▶ started (logged at warn)
 *     a renewal of an earlier subscription to it is        ──▶ retrying: put behind the others,
 *       unresolved; the card held by a removal; TMS or         tried again after the same wait
 *       Transaction Details unreachable
 *     started, refunded or given up meanwhile elsewhere    ──▶ settled
 *     its period over, no card kept with it,               ──▶ given up: marked (migration 025),
 *       another subscription to the plan live, the plan        logged once at error for an
 *       gone from the catalog                                  operator to refund; final
 *
 * The wait (`reconciler.ts`) lets the request that was charged finish first. Given up is final:
 * no start from that payment, the reconciler's or a purchase's, is made after it
 * (`startSubscriptionFromPayment`, `findPlanStanding`); a purchase of the plan is charged anew.
 */
import type { CheckoutContext } from '../checkout/context.ts';
import { startFromPaidPayment } from '../checkout/plan-start.ts';
import { givePlanStartUp } from '../store/payments.ts';
import type { PaymentRow } from '../store/rows.ts';

/** `settled`: started, refunded or given up elsewhere meanwhile; nothing left to do here. */
export type PlanStartOutcome = 'started' | 'given_up' | 'retrying' | 'settled';

export async function startUnstartedPlan(
  ctx: CheckoutContext,
  row: PaymentRow,
  requestId: string,
): Promise<PlanStartOutcome> {
  const log = { requestId, paymentId: row.id, planId: row.item_id };
  const plan = ctx.catalog.plans.find((p) => p.id === row.item_id);
  const late = !row.shopper_id
    ? { cannot: 'no_shopper' as const }
    : !plan
      ? { cannot: 'plan_not_in_catalog' as const }
      : await startFromPaidPayment(ctx, row.shopper_id, plan, row, requestId);
  if ('started' in late) {
    ctx.logger.warn(
      log,
      'plan paid but its subscription never started; started it from that payment, no new charge',
    );
    return 'started';
  }
  const reason = 'cannot' in late ? late.cannot : late.refused;
  if (reason === 'payment_changed' || reason === 'given_up') return 'settled';
  // Each may pass: the renewal resolves, the removal is refused by TMS and released, or the
  // card gone meanwhile reads as such next time (then given up).
  if (reason === 'renewing' || reason === 'card_being_removed' || reason === 'card_unavailable')
    return 'retrying';
  // Given up, or started, by another process since it was read: its line is not ours.
  if (!(await givePlanStartUp(ctx.db, row.id, ctx.now()))) return 'settled';
  ctx.logger.error(
    { ...log, reason },
    'plan paid but its subscription never started, and it cannot start from that payment: refund it',
  );
  return 'given_up';
}
