/**
 * @module The stored credential a subscription's renewals cite (API-FACTS §2.4): the network
 * transaction id of a customer-initiated payment with the card, from the payment's answer or,
 * when the answer carried none, from TMS.
 */
import { getInstrumentIdentifier } from '../cybersource/tms-instrument-identifiers.ts';
import { StubError } from '../errors.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { findFirstCardPayment } from '../store/payments.ts';
import type { PaymentMethodRow } from '../store/rows.ts';
import type { CheckoutContext } from './context.ts';
import { errorSummary } from './sessions.ts';

/**
 * The network transaction id TMS keeps with the card: its instrument identifier's
 * `…merchantInitiatedTransaction.previousTransactionId` (API-FACTS §3.3), the id of a
 * customer-initiated payment with this card, not necessarily the one at hand. Throws what the
 * TMS read throws (a card TMS no longer has is `not_found`).
 */
export async function tmsNetworkTransactionId(
  ctx: CheckoutContext,
  method: PaymentMethodRow,
  requestId: string,
): Promise<string | undefined> {
  const ii = await getInstrumentIdentifier(ctx.client, method.instrument_identifier_id, requestId);
  const id =
    ii.processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction
      .previousTransactionId;
  // Good enough to cite, but an operator should know the renewals cite it.
  if (id)
    ctx.logger.warn(
      { requestId, paymentMethodId: method.id },
      'no network transaction id on the payment; the subscription cites the one TMS keeps',
    );
  return id;
}

/**
 * For an approval whose answer carried no network transaction id, so that renewals cite one:
 * undefined when TMS has none or cannot be asked (logged), and they name the card alone
 * (`renewalPayment`).
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
    return await tmsNetworkTransactionId(ctx, method, requestId);
  } catch (err) {
    ctx.logger.warn({ requestId, err: errorSummary(err) }, 'could not read the stored credential');
    return undefined;
  }
}

export interface CardCredential {
  networkTransactionId: string;
  /** The amount of the payment it names (Discover and Diners Club renewals cite it). */
  amount: number;
}

/**
 * What renewals on a saved card cite once a subscription moves onto it: the card's first
 * approved customer-initiated payment, which kept it with the credential marked stored on file
 * (`payment-requests.ts`). [Decision: Visa's and Mastercard's stored-credential rules have a
 * merchant-initiated charge cite the customer-initiated one that stored the credential; the
 * shopper's consent to the subscription's terms was given when it started and moves with it,
 * so no new payment is made to change the card. CyberSource documents no request for a card
 * change of a merchant-run series.] Without an id on that payment, the one TMS keeps with the
 * card, with that payment's amount: TMS records the id when a payment creates the instrument
 * identifier, which the keeping payment's TOKEN_CREATE did [inferred]. Undefined when there is
 * no such payment or id, or TMS no longer has the card: such a card is refused up front, where a
 * subscription started without an id (`pay.ts`) was paid for already. A TMS read that fails
 * otherwise throws its gateway error: a refusal of a card is never made of an outage.
 */
export async function cardCredential(
  ctx: CheckoutContext,
  method: PaymentMethodRow,
  requestId: string,
): Promise<CardCredential | undefined> {
  const first = await findFirstCardPayment(ctx.db, method.id);
  if (!first) return undefined;
  if (first.network_transaction_id)
    return { networkTransactionId: first.network_transaction_id, amount: first.amount };
  const stored = await tmsNetworkTransactionId(ctx, method, requestId).catch((err: unknown) => {
    if (err instanceof StubError && err.code === 'not_found') return undefined;
    throw err;
  });
  return stored ? { networkTransactionId: stored, amount: first.amount } : undefined;
}
