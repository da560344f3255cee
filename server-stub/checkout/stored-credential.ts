/**
 * @module The stored credential a subscription's renewals cite (API-FACTS §2.4): the network
 * transaction id of a customer-initiated payment with the card, from the payment's answer or,
 * when the answer carried none, from TMS.
 */
import { getInstrumentIdentifier } from '../cybersource/tms-instrument-identifiers.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { findFirstCardPayment } from '../store/payments.ts';
import type { CheckoutContext } from './context.ts';
import { errorSummary } from './sessions.ts';

/**
 * The network transaction id TMS keeps with the card (its instrument identifier's
 * `…merchantInitiatedTransaction.previousTransactionId`, API-FACTS §3.3), for an approval whose
 * answer did not carry one: without it the subscription could not cite its first payment, and
 * the shopper would be charged with no subscription started. Undefined when TMS has none or
 * cannot be asked.
 */
export async function storedNetworkTransactionId(
  ctx: CheckoutContext,
  shopperId: string,
  paymentMethodId: string,
  requestId: string,
): Promise<string | undefined> {
  const method = await findShopperPaymentMethod(ctx.db, shopperId, paymentMethodId);
  if (!method) return undefined;
  try {
    const ii = await getInstrumentIdentifier(
      ctx.client,
      method.instrument_identifier_id,
      requestId,
    );
    const id =
      ii.processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction
        .previousTransactionId;
    // TMS keeps the id of a customer-initiated payment with this card, not necessarily this one:
    // good enough to cite, but an operator should know the renewals cite it.
    if (id)
      ctx.logger.warn(
        { requestId, paymentMethodId },
        'approval had no network transaction id; the subscription cites the one TMS keeps',
      );
    return id;
  } catch (err) {
    ctx.logger.warn({ requestId, err: errorSummary(err) }, 'could not read the stored credential');
    return undefined;
  }
}

export interface CardCredential {
  networkTransactionId: string;
  /** The amount of the payment it names, when known (Discover and Diners Club renewals cite it). */
  amount: number | undefined;
}

/**
 * What renewals on a saved card cite once a subscription moves onto it: the card's first
 * approved customer-initiated payment, which kept it with the credential marked stored on file
 * (`payment-requests.ts`). [Decision: Visa's and Mastercard's stored-credential rules have a
 * merchant-initiated charge cite the customer-initiated one that stored the credential; the
 * shopper's consent to the subscription's terms was given when it started and moves with it,
 * so no new payment is made to change the card. CyberSource documents no request for a card
 * change of a merchant-run series.] Without an id on that payment, the one TMS keeps with the
 * card. Undefined when neither exists: such a card cannot pay renewals.
 */
export async function cardCredential(
  ctx: CheckoutContext,
  shopperId: string,
  paymentMethodId: string,
  requestId: string,
): Promise<CardCredential | undefined> {
  const first = await findFirstCardPayment(ctx.db, paymentMethodId);
  if (first?.network_transaction_id)
    return { networkTransactionId: first.network_transaction_id, amount: first.amount };
  const stored = await storedNetworkTransactionId(ctx, shopperId, paymentMethodId, requestId);
  // Some customer-initiated payment's: which one, and so its amount, is not known.
  return stored ? { networkTransactionId: stored, amount: undefined } : undefined;
}
