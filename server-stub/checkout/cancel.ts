/**
 * @module Canceling a subscription, by the merchant (panel) or by its shopper. No CyberSource
 * call: renewals are merchant-initiated sales the stub sends itself (API-FACTS §2.4), so
 * stopping them is the stub's decision alone. The period already paid stands (a refund of it is
 * the merchant's separate choice); a renewal already sent when the cancellation lands is
 * recorded as usual and leaves the subscription canceled (`advancePeriod`).
 */
import { stubError } from '../errors.ts';
import type { SubscriptionRow } from '../store/rows.ts';
import { cancelSubscription, findSubscription } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';

/**
 * The canceled subscription; one canceled already comes back as it is. `shopperId` limits it to
 * that shopper's own: anyone else's is `subscription_not_found`, like one that does not exist.
 */
export async function cancelRenewals(
  ctx: CheckoutContext,
  subscriptionId: string,
  requestId: string,
  shopperId: string | undefined = undefined,
): Promise<SubscriptionRow> {
  const canceled = await cancelSubscription(ctx.db, subscriptionId, ctx.now(), shopperId);
  if (canceled) {
    ctx.logger.info(
      { requestId, subscriptionId, by: shopperId === undefined ? 'merchant' : 'shopper' },
      'subscription canceled',
    );
    return canceled;
  }
  const sub = await findSubscription(ctx.db, subscriptionId);
  if (!sub || (shopperId !== undefined && sub.shopper_id !== shopperId)) {
    throw stubError('subscription_not_found');
  }
  return sub;
}
