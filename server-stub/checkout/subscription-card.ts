/**
 * @module Changing a subscription's card: its shopper moves a live subscription onto another of
 * their saved cards, so that a card about to expire, or one whose renewal was declined, can be
 * replaced without canceling, and the old card can then be removed (`payment_method_in_use`
 * names this way out). Renewals are merchant-initiated sales the stub sends itself (API-FACTS
 * §2.4); from now on they charge the new card, citing its own stored credential
 * (`stored-credential.ts`), which is ours to read: no CyberSource call, unless the card's first
 * payment had no network transaction id (then one TMS read).
 */
import { stubError } from '../errors.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { isBeingRemoved } from '../store/removal-hold.ts';
import type { SubscriptionRow } from '../store/rows.ts';
import { changeSubscriptionCard, findSubscription } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { RETRY_DELAYS_SECONDS } from './renewal-retries.ts';
import { cardCredential } from './stored-credential.ts';

const ENDED = 'This subscription has ended: its card can no longer be changed.';

/**
 * The subscription renewing with `paymentMethodId` from now on; the same card is no change.
 * Anyone else's subscription is `subscription_not_found` and anyone else's card
 * `payment_method_not_found`, like ones that do not exist.
 */
export async function changeCard(
  ctx: CheckoutContext,
  shopperId: string,
  subscriptionId: string,
  paymentMethodId: string,
  requestId: string,
): Promise<SubscriptionRow> {
  // Read first so that a refusal costs no TMS read; `changeSubscriptionCard` checks it all
  // again under the subscription's lock.
  const sub = await findSubscription(ctx.db, subscriptionId);
  if (!sub || sub.shopper_id !== shopperId) throw stubError('subscription_not_found');
  if (sub.status !== 'active' && sub.status !== 'past_due')
    throw stubError('subscription_not_renewable', { message: ENDED });
  if (sub.payment_method_id === paymentMethodId) return sub;
  const method = await findShopperPaymentMethod(ctx.db, shopperId, paymentMethodId);
  if (!method || isBeingRemoved(method, ctx.now())) throw stubError('payment_method_not_found');
  const credential = await cardCredential(ctx, method, requestId);
  if (!credential) throw stubError('payment_method_not_recurring');

  const change = await changeSubscriptionCard(
    ctx.db,
    subscriptionId,
    shopperId,
    {
      paymentMethodId: method.id,
      customerId: method.customer_id,
      networkTransactionId: credential.networkTransactionId,
      citedAmount: credential.amount,
      brand: method.brand,
      last4: method.last4,
    },
    ctx.now(),
    RETRY_DELAYS_SECONDS,
  );
  if ('changed' in change) {
    ctx.logger.info(
      { requestId, subscriptionId, from: sub.payment_method_id, to: method.id },
      'subscription card changed',
    );
    return change.changed;
  }
  switch (change.refused) {
    case 'not_found':
      throw stubError('subscription_not_found');
    case 'ended':
      throw stubError('subscription_not_renewable', { message: ENDED });
    case 'renewal_in_flight':
      throw stubError('renewal_in_progress', {
        message:
          "This subscription's renewal is still being confirmed; change its card once it is.",
      });
    case 'card_not_found':
      throw stubError('payment_method_not_found');
  }
}
