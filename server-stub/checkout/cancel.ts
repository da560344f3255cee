/**
 * @module Canceling a subscription, by the merchant (panel) or by its shopper. No CyberSource
 * call: renewals are merchant-initiated sales the stub sends itself (API-FACTS §2.4), so
 * stopping them is the stub's decision alone. The period already paid stands (a refund of it is
 * the merchant's separate choice). A renewal already sent when the cancellation lands is named
 * in the answer, and if approved is recorded as usual, leaving the subscription canceled
 * (`advancePeriod`); none is sent after it.
 */
import { stubError } from '../errors.ts';
import type { PaymentRow, SubscriptionRow } from '../store/rows.ts';
import { cancelSubscription, findSubscription } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { renewalOfPeriod } from './renew.ts';

export interface Canceled {
  subscription: SubscriptionRow;
  /**
   * A renewal sent before the cancellation landed and not yet final (pending, outcome unknown,
   * or held for review): it may still charge the shopper for the next period.
   */
  renewalInFlight: PaymentRow | undefined;
}

/**
 * Cancels; one canceled already comes back as it is. `shopperId` limits it to that shopper's
 * own: anyone else's is `subscription_not_found`, like one that does not exist.
 */
export async function cancelRenewals(
  ctx: CheckoutContext,
  subscriptionId: string,
  requestId: string,
  shopperId: string | undefined = undefined,
): Promise<Canceled> {
  let sub = await cancelSubscription(ctx.db, subscriptionId, ctx.now(), shopperId);
  if (sub) {
    ctx.logger.info(
      { requestId, subscriptionId, by: shopperId === undefined ? 'merchant' : 'shopper' },
      'subscription canceled',
    );
  } else {
    sub = await findSubscription(ctx.db, subscriptionId);
    if (!sub || (shopperId !== undefined && sub.shopper_id !== shopperId)) {
      throw stubError('subscription_not_found');
    }
  }
  // Read after the cancel statement: a renewal row written under its share lock before it
  // (`insertPendingPayment`) is visible now, and none can be written after it. One paid before
  // the cancellation but never advanced is advanced here, so the paid-until date is right.
  const { holder, advanced } = await renewalOfPeriod(ctx, sub, sub.current_period + 1, requestId);
  if (!advanced) return { subscription: sub, renewalInFlight: holder };
  return {
    subscription: (await findSubscription(ctx.db, sub.id)) ?? sub,
    renewalInFlight: undefined,
  };
}
