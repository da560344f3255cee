/**
 * @module Finishing a payment row from CyberSource's answer. Declines are 201s with
 * `status: DECLINED` (API-FACTS §2.1, §2.5); held statuses are neither success nor decline; a
 * timeout or 502 is "outcome unknown" and goes to the reconciler (RELIABILITY-FACTS §3.6).
 */
import type { PaymentResponse } from '../../cybersource/payments/index.ts';
import type { MoneyOutcome } from '../cybersource/payments.ts';
import { stubError } from '../errors.ts';
import { findPayment, finishPayment } from '../store/payments.ts';
import type { PaymentRow } from '../store/rows.ts';
import type { CheckoutContext } from './context.ts';
import { refusedByAccount, softDecline } from './decline-kinds.ts';
import { paymentView } from './views.ts';

export interface Approved {
  row: PaymentRow;
  response: PaymentResponse;
  networkTransactionId: string | undefined;
  /**
   * The reconciler recorded the approval (and finished the flow) while the live call was still
   * running: the caller answers from the row and must not finish the flow a second time.
   */
  resolvedElsewhere?: true;
}

/** Every live write is a compare-and-set on `pending`, like the reconciler's. */
const LIVE = ['pending'] as const;

/**
 * The reconciler finished the row before the live answer was written: its final state is the
 * answer (the live one is never written over it).
 */
async function answerFromRow(
  ctx: CheckoutContext,
  pending: PaymentRow,
  r: PaymentResponse | undefined,
  requestId: string,
): Promise<Approved> {
  const row = await findPayment(ctx.db, pending.id);
  if (!row) throw new Error(`payment ${pending.id} vanished`);
  ctx.logger.warn(
    { requestId, paymentId: row.id, status: row.status, live: r?.status ?? null },
    'payment already resolved by the reconciler; answering its outcome',
  );
  switch (row.status) {
    case 'succeeded':
      return {
        row,
        response: r ?? {
          id: row.cybersource_id ?? '',
          status: 'AUTHORIZED',
          submitTimeUtc: row.updated_at.toISOString(),
        },
        networkTransactionId: row.network_transaction_id ?? undefined,
        resolvedElsewhere: true,
      };
    case 'declined':
      throw stubError('card_declined', {
        reason: row.decline_reason ?? 'DECLINED',
        extra: { payment: paymentView(row) },
      });
    case 'review':
      throw stubError('payment_under_review', {
        ...(row.decline_reason ? { reason: row.decline_reason } : {}),
        extra: { payment: paymentView(row) },
      });
    case 'failed':
      throw stubError('payment_canceled', {
        ...(row.decline_reason ? { reason: row.decline_reason } : {}),
        extra: { payment: paymentView(row) },
      });
    case 'pending':
    case 'unknown':
      throw stubError('payment_outcome_unknown', { extra: { payment: paymentView(row) } });
  }
}

/** Returns the approved payment; throws the catalog error for every other outcome. */
export async function settlePayment(
  ctx: CheckoutContext,
  pending: PaymentRow,
  outcome: MoneyOutcome<PaymentResponse>,
  requestId: string,
): Promise<Approved> {
  const now = ctx.now();
  if (outcome.outcome === 'unknown') {
    const row = await finishPayment(ctx.db, pending.id, { status: 'unknown' }, now, LIVE);
    if (!row) return answerFromRow(ctx, pending, undefined, requestId);
    ctx.onOutcomeUnknown({
      kind: 'payment',
      id: row.id,
      transactionId: row.transaction_id,
      why: outcome.why,
    });
    throw stubError('payment_outcome_unknown', { extra: { payment: paymentView(row) } });
  }
  if (outcome.outcome === 'rejected') {
    const row = await finishPayment(
      ctx.db,
      pending.id,
      { status: 'failed', declineReason: outcome.error.reason },
      now,
      LIVE,
    );
    if (!row) return answerFromRow(ctx, pending, undefined, requestId);
    ctx.logger.warn(
      { requestId, paymentId: pending.id, code: outcome.error.code },
      'payment rejected by CyberSource',
    );
    // Refused before anything was charged (never sent, or a 401/403/404/409/429 that processed
    // nothing): the answer must say so. A gateway 5xx reads as "maybe charged" to the widget, as
    // any 5xx on a payment must (RELIABILITY-FACTS §3.6), which left the shopper on "confirming"
    // for a payment that never happened, and a 404 or 409 as "something went wrong"; 402
    // `payment_canceled` is the catalog's "not charged", the answer a replay gets from this row
    // too. The gateway's code stays in `reason`. A 400 or 422 (`gateway_invalid_request`)
    // already reads as a failure and keeps its field details.
    if (outcome.error.code !== 'gateway_invalid_request') throw notCharged(outcome.error.code, row);
    throw outcome.error;
  }
  const r = outcome.response;
  const info = r.errorInformation;
  const networkTransactionId =
    r.processorInformation?.networkTransactionId ?? r.processorInformation?.transactionId;
  const common = { cybersourceId: r.id, networkTransactionId };
  if (refusedByAccount(r.status, info?.reason)) {
    const row = await finishPayment(
      ctx.db,
      pending.id,
      { status: 'failed', declineReason: info?.reason, ...common },
      now,
      LIVE,
    );
    if (!row) return answerFromRow(ctx, pending, r, requestId);
    ctx.logger.error(
      { requestId, paymentId: pending.id, reason: info?.reason },
      "payment refused for the merchant account's configuration, not the card: see the Business Center",
    );
    throw notCharged(info?.reason ?? r.status, row);
  }
  // A soft decline answers a review's status, and is a decline (decline-kinds.ts).
  const soft = softDecline(r.status, info?.reason);
  switch (soft ? 'DECLINED' : r.status) {
    case 'AUTHORIZED': {
      const row = await finishPayment(
        ctx.db,
        pending.id,
        { status: 'succeeded', ...common },
        now,
        LIVE,
      );
      if (!row) return answerFromRow(ctx, pending, r, requestId);
      ctx.logger.info({ requestId, paymentId: row.id, cybersourceId: r.id }, 'payment approved');
      return { row, response: r, networkTransactionId };
    }
    case 'DECLINED':
    case 'AUTHORIZED_RISK_DECLINED':
    case 'PENDING_AUTHENTICATION': {
      const reason = info?.reason ?? r.status;
      // Risk declined or a soft decline: the issuer's approval still holds the amount on the
      // card; the reconciler reverses it (reconcile/release-hold.ts) without keeping the shopper
      // waiting.
      const held =
        r.status === 'AUTHORIZED_RISK_DECLINED' || soft?.holds ? ('held' as const) : undefined;
      const row = await finishPayment(
        ctx.db,
        pending.id,
        { status: 'declined', declineReason: reason, authHold: held, ...common },
        now,
        LIVE,
      );
      if (!row) return answerFromRow(ctx, pending, r, requestId);
      ctx.logger.info({ requestId, paymentId: pending.id, reason }, 'payment declined');
      throw stubError('card_declined', {
        reason,
        ...(info?.message ? { message: info.message } : {}),
        // Which payment: a back-office links the decline to its row, and renew now's next
        // call names it as `lastFailurePaymentId`.
        extra: { payment: paymentView(row) },
      });
    }
    case 'AUTHORIZED_PENDING_REVIEW':
    case 'PENDING_REVIEW':
    case 'PARTIAL_AUTHORIZED': {
      const row = await finishPayment(
        ctx.db,
        pending.id,
        { status: 'review', declineReason: info?.reason, ...common },
        now,
        LIVE,
      );
      if (!row) return answerFromRow(ctx, pending, r, requestId);
      throw stubError('payment_under_review', {
        ...(info?.reason ? { reason: info.reason } : {}),
        extra: { payment: paymentView(row) },
      });
    }
    case 'INVALID_REQUEST': {
      const row = await finishPayment(
        ctx.db,
        pending.id,
        { status: 'failed', declineReason: info?.reason, ...common },
        now,
        LIVE,
      );
      if (!row) return answerFromRow(ctx, pending, r, requestId);
      throw stubError('gateway_invalid_request', {
        ...(info?.reason ? { reason: info.reason } : {}),
        ...(info?.details ? { details: info.details } : {}),
      });
    }
  }
}

/** 402 `payment_canceled`: CyberSource took nothing, for `reason` (the catalog's "not charged"). */
const notCharged = (reason: string, row: PaymentRow) =>
  stubError('payment_canceled', {
    reason,
    message: 'CyberSource did not take this payment; you have not been charged.',
    extra: { payment: paymentView(row) },
  });
