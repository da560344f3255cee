/**
 * @module Payments held for review (`AUTHORIZED_PENDING_REVIEW`, `PENDING_REVIEW`, `PARTIAL_AUTHORIZED`;
 * API-FACTS §2.5) wait for a person in the Business Center. CyberSource sends us nothing when
 * the review ends, so the reconciler asks again, with the lookup it uses for unknown outcomes
 * (`lookup.ts`), once a row has waited `reviewAfterMs` since it was last checked:
 *
 *   review ──(untouched ≥ RECONCILE_REVIEW_AFTER_SECONDS)──▶ look up by our code
 *     found AUTHORIZED                    ──▶ succeeded, and the flow is finished as for any
 *                                              approval found (card kept, subscription started,
 *                                              renewal period advanced)
 *     found DECLINED / RISK_DECLINED /    ──▶ declined (`REVIEW_REJECTED` unless CyberSource
 *       REVERSED / VOIDED / CANCELLED          names another reason); a renewal goes through the
 *                                              retry schedule like any declined renewal
 *     found a soft decline (AVS_FAILED,   ──▶ declined with that reason, its authorization
 *       CV_FAILED, CONTACT_PROCESSOR)          reversed (decline-kinds.ts; rows filed before)
 *     still held, not found, or anything  ──▶ stays `review`; `updated_at` moves to now, so the
 *       else                                   next lookup is `reviewAfterMs` later
 *
 * Every write is a compare-and-set on `review`, like the rest of the reconciler.
 */
import type { TransactionDetails } from '../../cybersource/payments/index.ts';
import type { CheckoutContext } from '../checkout/context.ts';
import { type SoftDecline, softDecline } from '../checkout/decline-kinds.ts';
import { inRenewalTransaction } from '../checkout/renewal-retries.ts';
import { finishPayment, type PaymentResult } from '../store/payments.ts';
import type { PaymentRow } from '../store/rows.ts';
import { lookUpPayment, READS_AS_PAID, replyReason } from './lookup.ts';
import { answer, HELD, type Resolution, recordApproved, renewalFailed } from './payment.ts';

const HELD_ROW = ['review'] as const;
/** A review that ended without a charge: refused, or the authorization reversed or voided. */
const REJECTED = new Set([
  'DECLINED',
  'AUTHORIZED_RISK_DECLINED',
  'REVERSED',
  'VOIDED',
  'CANCELLED',
]);

export async function recheckReview(
  ctx: CheckoutContext,
  row: PaymentRow,
  requestId: string,
): Promise<Resolution> {
  const log = ctx.logger.child({ requestId, paymentId: row.id });
  const found = await lookUpPayment(ctx, row, requestId);
  if (found.outcome !== 'found') {
    log.warn({ lookup: found.outcome }, 'reconcile: payment under review not found; asking later');
    return stillHeld(ctx, row);
  }
  const { details, status } = found;
  if (READS_AS_PAID.has(status)) {
    log.info({ cybersourceId: details.id }, 'reconcile: review accepted');
    return recordApproved(ctx, row, details, requestId, HELD_ROW);
  }
  if (REJECTED.has(status)) return recordRejected(ctx, row, details, status, requestId);
  // Filed as a review before soft declines were read as declines (decline-kinds.ts): nobody
  // decides it, so it is declined now and its authorization reversed.
  const soft = softDecline(status, replyReason(details) ?? row.decline_reason ?? '');
  if (soft) return recordRejected(ctx, row, details, status, requestId, soft);
  if (!HELD.has(status))
    log.error({ status: status || null }, 'reconcile: review found with unexpected status');
  return stillHeld(ctx, row);
}

async function recordRejected(
  ctx: CheckoutContext,
  row: PaymentRow,
  details: TransactionDetails,
  status: string,
  requestId: string,
  soft?: SoftDecline,
): Promise<Resolution> {
  // A decline may name its own reason (e.g. the issuer's, after a review that came before the
  // authorization); the reason that sent it to review is not why it ended.
  const named = details.errorInformation?.reason;
  const declined = status === 'DECLINED' || status === 'AUTHORIZED_RISK_DECLINED';
  const reason =
    soft?.reason ?? (declined && named && named !== row.decline_reason ? named : 'REVIEW_REJECTED');
  // The row and a renewal's retry schedule are written together (`inRenewalTransaction` says why).
  const done = await inRenewalTransaction(ctx, row, async (tx) => {
    const declined = await finish(tx, row, {
      status: 'declined',
      declineReason: reason,
      cybersourceId: details.id,
      // Rejected by risk after the issuer's approval: the authorization still holds the amount.
      authHold: status === 'AUTHORIZED_RISK_DECLINED' || soft?.holds ? 'held' : undefined,
    });
    if (declined) await renewalFailed(tx, declined, { reason, kind: 'decline' }, requestId);
    return declined;
  });
  if (!done) return 'unresolved';
  ctx.logger.info(
    { requestId, paymentId: row.id, status, reason },
    'reconcile: review ended without a charge; declined',
  );
  await answer(ctx, row.id);
  return 'declined';
}

/** Nothing to record: the row keeps `review`, and `updated_at` dates this check. */
async function stillHeld(ctx: CheckoutContext, row: PaymentRow): Promise<Resolution> {
  await finish(ctx, row, { status: 'review' });
  return 'review';
}

function finish(ctx: CheckoutContext, row: PaymentRow, result: PaymentResult) {
  return finishPayment(ctx.db, row.id, result, ctx.now(), HELD_ROW);
}
