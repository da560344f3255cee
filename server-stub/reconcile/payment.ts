/**
 * @module Resolving one payment whose outcome is unknown (RELIABILITY-FACTS §3.6). The state
 * machine (server-stub/README.md, "Payments whose outcome is unknown"):
 *
 *   pending | unknown ──(≥ RECONCILE_AFTER_SECONDS untouched)──▶ look up by our code
 *     found AUTHORIZED            ──▶ succeeded, and the flow is finished (card kept,
 *                                      subscription started, renewal period advanced)
 *     found DECLINED…             ──▶ declined (a renewal goes through the retry schedule;
 *                                      a risk-declined authorization is then reversed,
 *                                      release-hold.ts)
 *     found held for review       ──▶ review (as the live flow)
 *     found VOIDED / REVERSED     ──▶ failed (nothing charged); also when a void or reversal
 *                                      of ours is found to have gone through (lookup.ts)
 *     absent or lookup failed     ──▶ timeout void by transactionId (every stub payment is a
 *                                      sale); NOT_VOIDABLE → timeout reversal (an authorization)
 *         voided / reversed       ──▶ failed `TIMEOUT_VOIDED` / `TIMEOUT_REVERSED`
 *         no such transaction     ──▶ failed `NOT_PROCESSED`
 *         no answer / settled     ──▶ stays unknown; the next pass looks it up again
 *
 * Nothing here ever sends a new authorization: the only calls are the lookup, the void and the
 * reversal, all for the same `transactionId`. Every write is a compare-and-set on
 * pending/unknown, so a second resolver (another process, a late live answer) cannot flip a
 * final row.
 */
import {
  detailsTokens,
  type PaymentResponse,
  type TransactionDetails,
} from '../../cybersource/payments/index.ts';
import type { CheckoutContext } from '../checkout/context.ts';
import { refusedByAccount, softDecline } from '../checkout/decline-kinds.ts';
import { completeApprovedPayment } from '../checkout/pay.ts';
import { completeApprovedRenewal } from '../checkout/renew.ts';
import { inRenewalTransaction, recordRenewalFailure } from '../checkout/renewal-retries.ts';
import type { CardFacts } from '../checkout/save-card.ts';
import { findPayment, finishPayment, type PaymentResult } from '../store/payments.ts';
import type { PaymentRow, PaymentStatus } from '../store/rows.ts';
import { findSubscription } from '../store/subscriptions.ts';
import { answerKeys, paymentAnswer } from './answers.ts';
import { cancelByTransactionId } from './cancel.ts';
import { lookUpPayment, READS_AS_PAID, replyReason } from './lookup.ts';

export type Resolution = 'succeeded' | 'declined' | 'review' | 'failed' | 'unresolved';

const UNRESOLVED = ['pending', 'unknown'] as const;

export async function reconcilePayment(
  ctx: CheckoutContext,
  row: PaymentRow,
  requestId: string,
): Promise<Resolution> {
  const log = ctx.logger.child({ requestId, paymentId: row.id });
  const found = await lookUpPayment(ctx, row, requestId);
  if (found.outcome === 'found')
    return recordFound(ctx, row, found.details, found.status, requestId);
  if (found.outcome === 'not_ready') {
    log.info('reconcile: payment found, its details not ready yet; asking later');
    return 'unresolved';
  }

  const cancel = await cancelByTransactionId(
    ctx,
    {
      code: row.reference_code,
      transactionId: row.transaction_id,
      amount: row.amount,
      currency: row.currency,
      reversible: true,
    },
    requestId,
  );
  switch (cancel.outcome) {
    case 'canceled':
      log.warn({ how: cancel.how }, 'reconcile: payment canceled by timeout void/reversal');
      return finish(ctx, row, { status: 'failed', declineReason: cancel.how });
    case 'nothing':
      // Final only when the search worked and found nothing too: that the void's INVALID_DATA
      // means "no such transaction" is [inferred] (emulator/payments/README.md), and a failed
      // search proves nothing. Failed frees a renewal's period for another charge.
      if (found.outcome !== 'absent') {
        log.warn('reconcile: void found nothing but the search failed; retrying next pass');
        return 'unresolved';
      }
      log.info('reconcile: CyberSource never processed the payment');
      return finish(ctx, row, { status: 'failed', declineReason: 'NOT_PROCESSED' });
    case 'stuck':
      log.error({ reason: cancel.reason }, 'reconcile: payment exists but cannot be canceled');
      return 'unresolved';
    case 'unknown':
      log.warn({ why: cancel.why }, 'reconcile: cancel got no answer; retrying next pass');
      return 'unresolved';
  }
}

const DECLINED = new Set(['DECLINED', 'AUTHORIZED_RISK_DECLINED', 'PENDING_AUTHENTICATION']);
/** Held for review: what the stub files as `review` (live, by lookup, and while a review is open). */
export const HELD: ReadonlySet<string> = new Set([
  'AUTHORIZED_PENDING_REVIEW',
  'PENDING_REVIEW',
  'PARTIAL_AUTHORIZED',
]);
const UNDONE = new Set(['VOIDED', 'REVERSED', 'CANCELLED', 'INVALID_REQUEST']);

async function recordFound(
  ctx: CheckoutContext,
  row: PaymentRow,
  details: TransactionDetails,
  status: string,
  requestId: string,
): Promise<Resolution> {
  const networkTransactionId =
    details.processorInformation?.networkTransactionId ??
    details.processorInformation?.transactionId;
  const ids = { cybersourceId: details.id, networkTransactionId };
  const reason = replyReason(details);
  if (READS_AS_PAID.has(status)) return recordApproved(ctx, row, details, requestId);
  // A failed renewal's row and its retry schedule are written together (`inRenewalTransaction` says why).
  // The merchant's account refused it, not the card (decline-kinds.ts): no renewal attempt counted.
  if (refusedByAccount(status, reason)) {
    ctx.logger.error(
      { requestId, paymentId: row.id, reason },
      "reconcile: payment refused for the merchant account's configuration, not the card: see the Business Center",
    );
    return finish(ctx, row, { status: 'failed', declineReason: reason, ...ids });
  }
  const soft = softDecline(status, reason);
  if (DECLINED.has(status) || soft)
    return inRenewalTransaction(ctx, row, async (tx) => {
      const result = await finish(tx, row, {
        status: 'declined',
        declineReason: reason ?? status,
        authHold: status === 'AUTHORIZED_RISK_DECLINED' || soft?.holds ? 'held' : undefined,
        ...ids,
      });
      if (result === 'declined')
        await renewalFailed(tx, row, { reason: reason ?? status, kind: 'decline' }, requestId);
      return result;
    });
  if (HELD.has(status))
    return finish(ctx, row, { status: 'review', declineReason: reason ?? status, ...ids });
  if (UNDONE.has(status))
    return inRenewalTransaction(ctx, row, async (tx) => {
      const result = await finish(tx, row, { status: 'failed', declineReason: status, ...ids });
      // CyberSource refused the renewal itself: its period is not paid; never left `active`.
      if (result === 'failed' && status === 'INVALID_REQUEST')
        await renewalFailed(
          tx,
          row,
          { reason: reason ?? status, kind: 'invalid_request' },
          requestId,
        );
      return result;
    });
  ctx.logger.error({ requestId, paymentId: row.id, status }, 'reconcile: unexpected status');
  return 'unresolved';
}

/** A renewal that did not pay its period goes through the retry schedule; other kinds: nothing. */
export async function renewalFailed(
  ctx: CheckoutContext,
  row: PaymentRow,
  failure: { reason: string; kind: 'decline' | 'invalid_request' },
  requestId: string,
): Promise<void> {
  if (row.kind !== 'renewal' || row.subscription_id === null || row.period === null) return;
  await recordRenewalFailure(
    ctx,
    {
      subscriptionId: row.subscription_id,
      period: row.period,
      paymentId: row.id,
      attemptedAt: row.created_at,
      ...failure,
    },
    requestId,
  );
}

/**
 * Records an approval found by lookup and finishes the flow as the live request would have.
 * `from`: the statuses the row may still have (compare-and-set): unresolved ones, or `review`
 * for a held payment the Business Center accepted (`review.ts`).
 */
export async function recordApproved(
  ctx: CheckoutContext,
  row: PaymentRow,
  details: TransactionDetails,
  requestId: string,
  from: readonly PaymentStatus[] = UNRESOLVED,
): Promise<Resolution> {
  const networkTransactionId =
    details.processorInformation?.networkTransactionId ??
    details.processorInformation?.transactionId;
  const done = await finishPayment(
    ctx.db,
    row.id,
    { status: 'succeeded', cybersourceId: details.id, networkTransactionId },
    ctx.now(),
    from,
  );
  if (!done) return 'unresolved';
  ctx.logger.info(
    { requestId, paymentId: row.id, cybersourceId: details.id },
    'reconcile: payment found approved; recorded',
  );
  const tokens = detailsTokens(details);
  // What `pay` would have had in the answer it never got (API-FACTS §2.6 field names).
  const response: PaymentResponse = {
    id: details.id,
    status: 'AUTHORIZED',
    submitTimeUtc: details.submitTimeUTC ?? ctx.now().toISOString(),
    paymentInformation: {
      ...(tokens.customerId ? { customer: { id: tokens.customerId } } : {}),
      ...(tokens.paymentInstrumentId
        ? { paymentInstrument: { id: tokens.paymentInstrumentId } }
        : {}),
      ...(tokens.instrumentIdentifierId
        ? { instrumentIdentifier: { id: tokens.instrumentIdentifierId } }
        : {}),
    },
  };
  try {
    if (row.kind === 'renewal') {
      const sub = row.subscription_id
        ? await findSubscription(ctx.db, row.subscription_id)
        : undefined;
      if (sub) await completeApprovedRenewal(ctx, sub, done);
    } else if (row.shopper_id !== null) {
      // A new card whose payment created TMS tokens was to be kept (TOKEN_CREATE is only sent
      // then). Its customer is the one Details names or, for a card added to the shopper's
      // existing customer, the one the payment sent (the row's; save-card.ts).
      const created =
        row.payment_method_id === null &&
        (tokens.customerId !== undefined || row.customer_id !== null) &&
        tokens.paymentInstrumentId !== undefined &&
        tokens.instrumentIdentifierId !== undefined;
      const { card } = tokens;
      const keep: CardFacts | undefined = created
        ? {
            instrumentLast4: row.card_last4 ?? card.suffix ?? '????',
            brand: row.card_brand ?? 'unknown',
            ...(card.expirationMonth ? { expirationMonth: card.expirationMonth } : {}),
            ...(card.expirationYear ? { expirationYear: card.expirationYear } : {}),
          }
        : undefined;
      const plan =
        row.kind === 'subscription_start'
          ? ctx.catalog.plans.find((p) => p.id === row.item_id)
          : undefined;
      if (row.kind === 'subscription_start' && !plan)
        ctx.logger.error({ requestId, paymentId: row.id }, 'reconcile: plan no longer in catalog');
      await completeApprovedPayment(
        ctx,
        {
          shopperId: row.shopper_id,
          approved: { row: done, response, networkTransactionId },
          paymentMethodId: row.payment_method_id ?? undefined,
          customerId: row.customer_id ?? undefined,
          keep,
          plan,
        },
        requestId,
      );
    }
  } catch (err) {
    // The money is recorded; a failure to finish the flow is for an operator, not a retry.
    ctx.logger.error(
      { requestId, paymentId: row.id, err: err instanceof Error ? err.message : 'error' },
      'reconcile: payment recorded but the flow could not be finished',
    );
  }
  await answer(ctx, row.id);
  return 'succeeded';
}

async function finish(
  ctx: CheckoutContext,
  row: PaymentRow,
  result: PaymentResult,
): Promise<Resolution> {
  const done = await finishPayment(ctx.db, row.id, result, ctx.now(), UNRESOLVED);
  if (!done) return 'unresolved';
  await answer(ctx, row.id);
  return done.status === 'pending' || done.status === 'unknown' ? 'unresolved' : done.status;
}

/** Answers the idempotency keys linked to this payment with its final state. */
export async function answer(ctx: CheckoutContext, paymentId: string): Promise<void> {
  const row = await findPayment(ctx.db, paymentId);
  const a = row ? await paymentAnswer(ctx.db, row) : undefined;
  if (a) await answerKeys(ctx, paymentId, a);
}
