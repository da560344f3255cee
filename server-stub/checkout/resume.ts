/**
 * @module Resuming a canceled subscription, by its shopper or by the merchant, while the period
 * it paid for runs: a cancellation by mistake is taken back without buying the plan again, which
 * would charge now for days already paid. No CyberSource call: renewals are merchant-initiated
 * sales the stub sends itself (API-FACTS §2.4), so the next one at the period's end is ours to
 * send, on the stored credential the subscription kept.
 */
import { stubError } from '../errors.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { isBeingRemoved } from '../store/removal-hold.ts';
import type { SubscriptionRow } from '../store/rows.ts';
import {
  findSubscription,
  paidPeriodRefunded,
  resumeSubscription,
} from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { renewalOfPeriod } from './renew.ts';

/**
 * The subscription renewing again; one not canceled comes back as it is. `shopperId` limits it
 * to that shopper's own: anyone else's is `subscription_not_found`, like one that does not exist.
 */
export async function resumeRenewals(
  ctx: CheckoutContext,
  subscriptionId: string,
  requestId: string,
  shopperId: string | undefined = undefined,
): Promise<SubscriptionRow> {
  let sub = await findSubscription(ctx.db, subscriptionId);
  if (!sub || (shopperId !== undefined && sub.shopper_id !== shopperId))
    throw stubError('subscription_not_found');
  if (sub.status !== 'canceled') return sub;
  // A renewal approved after the cancellation whose period was never advanced (the write
  // lost to a crash or a dropped connection) paid the period after this one: advanced now, as
  // a cancellation does, so its paid time is not refused as ended.
  const { advanced } = await renewalOfPeriod(ctx, sub, sub.current_period + 1, requestId);
  if (advanced) sub = (await findSubscription(ctx.db, subscriptionId)) ?? sub;
  const now = ctx.now();
  const resumed = await resumeSubscription(ctx.db, subscriptionId, now, shopperId);
  if (resumed) {
    ctx.logger.info(
      { requestId, subscriptionId, by: shopperId === undefined ? 'merchant' : 'shopper' },
      'subscription resumed',
    );
    return resumed;
  }
  const current = (await findSubscription(ctx.db, subscriptionId)) ?? sub;
  // Resumed meanwhile (a second tab, the merchant): as asked.
  if (current.status !== 'canceled') return current;
  throw await whyNot(ctx, current, now, shopperId !== undefined);
}

/** Which of `resumeSubscription`'s conditions the canceled `sub` fails, as the answer says it. */
async function whyNot(ctx: CheckoutContext, sub: SubscriptionRow, now: Date, byShopper: boolean) {
  const refused = (reason: string, message: string) =>
    stubError('subscription_not_resumable', {
      message,
      details: { reason, currentPeriodEnd: sub.current_period_end.toISOString() },
    });
  if (byShopper && sub.canceled_by !== 'shopper')
    return refused(
      'canceled_by_merchant',
      'The merchant canceled this subscription; only the merchant can resume it.',
    );
  if (sub.current_period_end <= now)
    return refused('period_ended', 'Its paid period has ended: buy the plan again to subscribe.');
  if (await paidPeriodRefunded(ctx.db, sub.id))
    return refused(
      'period_refunded',
      'The payment for its current period was refunded: buy the plan again to subscribe.',
    );
  const card = await findShopperPaymentMethod(ctx.db, sub.shopper_id, sub.payment_method_id);
  if (!card || isBeingRemoved(card, now))
    return refused(
      'card_removed',
      'Its card was removed: buy the plan again with a card to subscribe.',
    );
  return refused(
    'subscribed_again',
    'The shopper has another subscription to this plan, or is buying one.',
  );
}
