/**
 * @module Resolving one refund whose outcome is unknown (RELIABILITY-FACTS §3.6: "for capture
 * or refund in the same situation, use a timeout void"). Looked up first by our code (the
 * refund id): found accepted → succeeded; otherwise a timeout void of the refund by its
 * `transactionId` → failed, and the amount reserved on the payment is given back. A settled
 * refund cannot be voided: it stays unknown until a lookup records it.
 */
import type { CheckoutContext } from '../checkout/context.ts';
import { addRefunded } from '../store/payments.ts';
import { findRefund, finishRefund } from '../store/refunds.ts';
import type { RefundRow } from '../store/rows.ts';
import { answerKeys, refundAnswer } from './answers.ts';
import { cancelByTransactionId } from './cancel.ts';
import { lookUp } from './lookup.ts';
import type { Resolution } from './payment.ts';

const UNRESOLVED = ['pending', 'unknown'] as const;
/** Refund statuses that mean CyberSource accepted it (API-FACTS §2.5). */
const ACCEPTED = new Set(['PENDING', 'TRANSMITTED', 'SETTLED']);
/** Refund statuses that mean it did not happen, so the reservation can be released. */
const UNDONE = new Set(['VOIDED', 'CANCELLED', 'DECLINED', 'FAILED', 'INVALID_REQUEST']);

export async function reconcileRefund(
  ctx: CheckoutContext,
  row: RefundRow,
  currency: string,
  requestId: string,
): Promise<Resolution> {
  const log = ctx.logger.child({ requestId, refundId: row.id, paymentId: row.payment_id });
  const found = await lookUp(
    ctx,
    {
      code: row.id,
      transactionId: row.transaction_id,
      createdAt: row.created_at,
      application: 'ics_credit',
    },
    requestId,
  );
  if (found.outcome === 'not_ready') {
    log.info('reconcile: refund found, its details not ready yet; asking later');
    return 'unresolved';
  }
  if (found.outcome === 'found') {
    // Transaction Details may carry the status only under applicationInformation (payment.ts).
    const { status } = found;
    if (ACCEPTED.has(status)) {
      const done = await finishRefund(
        ctx.db,
        row.id,
        'succeeded',
        { cybersourceId: found.details.id },
        ctx.now(),
        UNRESOLVED,
      );
      if (!done) return 'unresolved';
      log.info({ cybersourceId: found.details.id }, 'reconcile: refund found accepted; recorded');
      await answer(ctx, row.id);
      return 'succeeded';
    }
    // Only an explicit "did not happen" gives the amount back; anything else is retried.
    if (UNDONE.has(status)) return release(ctx, row, status);
    log.error({ status: status || null }, 'reconcile: refund found with unexpected status');
    return 'unresolved';
  }
  const cancel = await cancelByTransactionId(
    ctx,
    {
      code: row.id,
      transactionId: row.transaction_id,
      amount: row.amount,
      currency,
      reversible: false,
    },
    requestId,
  );
  switch (cancel.outcome) {
    case 'canceled':
      log.warn('reconcile: refund voided by timeout void');
      return release(ctx, row, cancel.how);
    case 'nothing':
      // As for payments (payment.ts): final only when the search found nothing as well.
      if (found.outcome !== 'absent') {
        log.warn('reconcile: void found nothing but the search failed; retrying next pass');
        return 'unresolved';
      }
      return release(ctx, row, 'NOT_PROCESSED');
    case 'stuck':
      log.error({ reason: cancel.reason }, 'reconcile: refund exists but cannot be voided');
      return 'unresolved';
    case 'unknown':
      log.warn({ why: cancel.why }, 'reconcile: void got no answer; retrying next pass');
      return 'unresolved';
  }
}

/** The refund did not happen: mark it failed and give the reserved amount back, atomically. */
async function release(ctx: CheckoutContext, row: RefundRow, reason: string): Promise<Resolution> {
  const released = await ctx.db.transaction(async (tx) => {
    const done = await finishRefund(
      tx,
      row.id,
      'failed',
      { failureReason: reason },
      ctx.now(),
      UNRESOLVED,
    );
    if (done) await addRefunded(tx, row.payment_id, -row.amount, ctx.now());
    return done !== undefined;
  });
  if (!released) return 'unresolved';
  await answer(ctx, row.id);
  return 'failed';
}

export async function answer(ctx: CheckoutContext, refundId: string): Promise<void> {
  const row = await findRefund(ctx.db, refundId);
  const a = row ? await refundAnswer(ctx.db, row) : undefined;
  if (a) await answerKeys(ctx, refundId, a);
}
