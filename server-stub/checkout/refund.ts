/**
 * @module Refunds (merchant): full or partial, never above captured − refunded. The amount is
 * checked and reserved in one transaction with the payment row locked, before CyberSource is
 * called; a refused refund gives the reservation back, an unknown one keeps it.
 */
import { refundPayment } from '../cybersource/payments.ts';
import { stubError } from '../errors.ts';
import { Currency, formatAmount } from '../money.ts';
import { linkHeldKey } from '../store/idempotency.ts';
import { addRefunded, findPayment, lockPayment } from '../store/payments.ts';
import { findRefund, finishRefund, insertPendingRefund } from '../store/refunds.ts';
import type { CheckoutContext } from './context.ts';
import { newId, newTransactionId } from './ids.ts';
import { adminPaymentView, refundView } from './views.ts';

const LIVE = ['pending'] as const;

export async function refund(
  ctx: CheckoutContext,
  paymentId: string,
  amount: number | undefined,
  requestId: string,
) {
  const refundId = newId('ref');
  const transactionId = newTransactionId();
  // Linked before the pending row exists: the reconciler answers this key once it is resolved.
  await linkHeldKey(ctx.db, refundId);
  const reserved = await ctx.db.transaction(async (tx) => {
    const payment = await lockPayment(tx, paymentId);
    if (!payment) throw stubError('payment_not_found');
    if (payment.status !== 'succeeded' || !payment.cybersource_id)
      throw stubError('payment_not_refundable');
    const available = payment.amount - payment.refunded_amount;
    if (available <= 0) throw stubError('payment_fully_refunded');
    const wanted = amount ?? available;
    if (wanted <= 0 || wanted > available) {
      throw stubError('refund_exceeds_available', { details: { requested: wanted, available } });
    }
    await addRefunded(tx, payment.id, wanted, ctx.now());
    await insertPendingRefund(tx, {
      id: refundId,
      paymentId,
      amount: wanted,
      transactionId,
      createdAt: ctx.now(),
    });
    return { payment, amount: wanted };
  });

  const { payment } = reserved;
  const currency = Currency.parse(payment.currency);
  const outcome = await refundPayment(
    ctx.client,
    payment.cybersource_id ?? '',
    {
      clientReferenceInformation: { code: refundId, transactionId },
      orderInformation: {
        amountDetails: { totalAmount: formatAmount(reserved.amount, currency), currency },
      },
    },
    requestId,
  );

  // Every write is a compare-and-set on `pending` (as the reconciler's): false/undefined means
  // the reconciler resolved the refund first, and its outcome is the answer.
  const release = async (reason: string | undefined) =>
    ctx.db.transaction(async (tx) => {
      const done = await finishRefund(
        tx,
        refundId,
        'failed',
        { failureReason: reason },
        ctx.now(),
        LIVE,
      );
      if (done) await addRefunded(tx, payment.id, -reserved.amount, ctx.now());
      return done !== undefined;
    });
  const answerFromRow = async (live: string) => {
    const row = await findRefund(ctx.db, refundId);
    if (!row) throw new Error(`refund ${refundId} vanished`);
    ctx.logger.warn(
      { requestId, paymentId, refundId, status: row.status, live },
      'refund already resolved by the reconciler; answering its outcome',
    );
    if (row.status === 'succeeded') {
      const after = await findPayment(ctx.db, paymentId);
      return {
        refund: refundView(row, payment.currency),
        ...(after ? { payment: adminPaymentView(after) } : {}),
      };
    }
    if (row.status === 'failed')
      throw stubError('refund_declined', {
        ...(row.failure_reason ? { reason: row.failure_reason } : {}),
      });
    throw stubError('refund_outcome_unknown', {
      extra: { refund: refundView(row, payment.currency) },
    });
  };

  if (outcome.outcome === 'unknown') {
    const row = await finishRefund(ctx.db, refundId, 'unknown', {}, ctx.now(), LIVE);
    if (!row) return answerFromRow('unknown');
    ctx.onOutcomeUnknown({ kind: 'refund', id: refundId, transactionId, why: outcome.why });
    throw stubError('refund_outcome_unknown', {
      extra: { refund: refundView(row, payment.currency) },
    });
  }
  if (outcome.outcome === 'rejected') {
    if (!(await release(outcome.error.reason))) return answerFromRow('rejected');
    throw outcome.error;
  }
  const r = outcome.response;
  if (r.status !== 'PENDING') {
    if (!(await release(r.errorInformation?.reason ?? r.status))) return answerFromRow(r.status);
    throw stubError('refund_declined', {
      ...(r.errorInformation?.reason ? { reason: r.errorInformation.reason } : {}),
    });
  }
  // PENDING is CyberSource's success for a refund: accepted, settles in the batch (API-FACTS §2.5).
  const row = await finishRefund(
    ctx.db,
    refundId,
    'succeeded',
    { cybersourceId: r.id },
    ctx.now(),
    LIVE,
  );
  if (!row) return answerFromRow(r.status);
  ctx.logger.info({ requestId, paymentId, refundId, amount: reserved.amount }, 'refund accepted');
  const after = await findPayment(ctx.db, paymentId);
  return {
    refund: refundView(row, payment.currency),
    ...(after ? { payment: adminPaymentView(after) } : {}),
  };
}
