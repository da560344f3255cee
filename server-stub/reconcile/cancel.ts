/**
 * @module Making sure a transaction whose answer was lost cannot charge anyone
 * (RELIABILITY-FACTS §3.6): a **timeout void** (`POST /pts/v2/voids`) by `transactionId` for a
 * sale or a refund, which is what every stub payment is (`capture: true`); a **timeout
 * reversal** (`POST /pts/v2/reversals`, the authorized amount) only when the void says the
 * transaction is not voidable, i.e. an authorization that was never captured. Both are money
 * calls: sent once, never resent; a lost answer is settled by the next pass's lookup.
 */

import { z } from 'zod';
import type { CheckoutContext } from '../checkout/context.ts';
import { timeoutReversal, timeoutVoid } from '../cybersource/payments.ts';
import { TransportError } from '../cybersource/transport-error.ts';
import { Currency, formatAmount } from '../money.ts';

export type Cancel =
  /** The void or reversal went through: whatever happened is undone. */
  | { outcome: 'canceled'; how: 'TIMEOUT_VOIDED' | 'TIMEOUT_REVERSED' }
  /** CyberSource has no transaction with that id: nothing was processed. */
  | { outcome: 'nothing' }
  /** It exists and cannot be undone any more (settled): the next lookup must record it. */
  | { outcome: 'stuck'; reason: string }
  /** No answer, or an answer we cannot act on: try again on the next pass. */
  | { outcome: 'unknown'; why: string };

const FieldDetails = z.array(z.object({ field: z.string(), reason: z.string() }));

/**
 * CyberSource's answer to a timeout void of an unknown `transactionId`: INVALID_DATA, documented
 * with no `details` (the timeout-void page's "Response to a Declined Request"), or naming that
 * very field. Details naming any other field are something else wrong, never read as "nothing".
 */
function noSuchTransaction(details: unknown): boolean {
  if (details === undefined) return true;
  const parsed = FieldDetails.safeParse(details);
  return (
    parsed.success &&
    (parsed.data.length === 0 ||
      parsed.data.some((d) => d.field === 'clientReferenceInformation.transactionId'))
  );
}

export async function cancelByTransactionId(
  ctx: CheckoutContext,
  t: {
    code: string;
    transactionId: string;
    amount: number;
    currency: string;
    /** Payments only: fall back to a timeout reversal of an uncaptured authorization. */
    reversible: boolean;
  },
  requestId: string,
): Promise<Cancel> {
  const reference = { code: t.code, transactionId: t.transactionId };
  const voided = await timeoutVoid(
    ctx.client,
    { clientReferenceInformation: reference },
    requestId,
  );
  if (voided.outcome === 'unknown') return { outcome: 'unknown', why: `void_${voided.why}` };
  if (voided.outcome === 'answered') {
    return voided.response.status === 'FAILED'
      ? { outcome: 'unknown', why: 'void_failed' }
      : { outcome: 'canceled', how: 'TIMEOUT_VOIDED' };
  }
  // The merchant's MLE settings failed, not the void, or the void never left: either way it
  // says nothing of the payment.
  if (voided.error.code === 'gateway_encryption_refused')
    return { outcome: 'unknown', why: 'void_encryption_refused' };
  if (voided.error.cause instanceof TransportError && !voided.error.cause.sent)
    return { outcome: 'unknown', why: 'void_not_sent' };
  const reason = voided.error.reason ?? voided.error.code;
  if (reason === 'INVALID_DATA' && noSuchTransaction(voided.error.details))
    return { outcome: 'nothing' };
  if (reason !== 'NOT_VOIDABLE' || !t.reversible) return { outcome: 'stuck', reason };

  const currency = Currency.safeParse(t.currency);
  if (!currency.success) return { outcome: 'stuck', reason };
  const reversed = await timeoutReversal(
    ctx.client,
    {
      clientReferenceInformation: reference,
      // No `reason`: its one documented value is `34`, suspected fraud (NODE
      // `Ptsv2paymentsidreversalsReversalInformation.md`, a 3-character field), which this is not.
      reversalInformation: {
        // The authorized amount (§3.6): what we asked for, since no answer told us otherwise;
        // the currency as the REST example sends it (the required-fields page lists it too).
        amountDetails: {
          totalAmount: formatAmount(t.amount, currency.data),
          currency: currency.data,
        },
      },
    },
    requestId,
  );
  if (reversed.outcome === 'unknown')
    return { outcome: 'unknown', why: `reversal_${reversed.why}` };
  if (reversed.outcome === 'answered') return { outcome: 'canceled', how: 'TIMEOUT_REVERSED' };
  const why = reversed.error.reason ?? reversed.error.code;
  // MISSING_AUTH: CyberSource does not know it (yet); anything else: settled or already undone.
  return why === 'MISSING_AUTH' ? { outcome: 'unknown', why } : { outcome: 'stuck', reason: why };
}
