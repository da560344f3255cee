/**
 * @module The stored credential a subscription's renewals cite (API-FACTS §2.4): a
 * customer-initiated payment with the card that kept it, marked stored on file, and that
 * payment's network transaction id when its answer carried one.
 */
import { findFirstCardPayment } from '../store/payments.ts';
import type { PaymentMethodRow } from '../store/rows.ts';
import type { CheckoutContext } from './context.ts';

export interface CardCredential {
  /**
   * Undefined when that payment's answer carried none: renewals then name the card's tokens
   * alone, and CyberSource cites the id TMS keeps with it (`renewalPayment`).
   */
  networkTransactionId: string | undefined;
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
 * change of a merchant-run series.] Undefined when there is no such payment: a card never
 * stored by a customer-initiated payment of ours cannot pay renewals.
 */
export async function cardCredential(
  ctx: CheckoutContext,
  method: PaymentMethodRow,
): Promise<CardCredential | undefined> {
  const first = await findFirstCardPayment(ctx.db, method.id);
  if (!first) return undefined;
  return { networkTransactionId: first.network_transaction_id ?? undefined, amount: first.amount };
}
