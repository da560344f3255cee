/**
 * @module Finishing a payment row from CyberSource's answer. Declines are 201s with
 * `status: DECLINED` (API-FACTS §2.1, §2.5); held statuses are neither success nor decline; a
 * timeout or 502 is "outcome unknown" and goes to the reconciler (RELIABILITY-FACTS §3.6).
 */
import type { PaymentResponse } from '../../cybersource/payments/index.ts';
import type { MoneyOutcome } from '../cybersource/payments.ts';
import { stubError } from '../errors.ts';
import { finishPayment } from '../store/payments.ts';
import type { PaymentRow } from '../store/rows.ts';
import type { CheckoutContext } from './context.ts';
import { paymentView } from './views.ts';

export interface Approved {
  row: PaymentRow;
  response: PaymentResponse;
  networkTransactionId: string | undefined;
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
    const row = await finishPayment(ctx.db, pending.id, { status: 'unknown' }, now);
    ctx.onOutcomeUnknown({
      kind: 'payment',
      id: row.id,
      transactionId: row.transaction_id,
      why: outcome.why,
    });
    throw stubError('payment_outcome_unknown', { extra: { payment: paymentView(row) } });
  }
  if (outcome.outcome === 'rejected') {
    await finishPayment(
      ctx.db,
      pending.id,
      { status: 'failed', declineReason: outcome.error.reason },
      now,
    );
    ctx.logger.warn(
      { requestId, paymentId: pending.id, code: outcome.error.code },
      'payment rejected by CyberSource',
    );
    throw outcome.error;
  }
  const r = outcome.response;
  const info = r.errorInformation;
  const networkTransactionId =
    r.processorInformation?.networkTransactionId ?? r.processorInformation?.transactionId;
  const common = { cybersourceId: r.id, networkTransactionId };
  switch (r.status) {
    case 'AUTHORIZED': {
      const row = await finishPayment(ctx.db, pending.id, { status: 'succeeded', ...common }, now);
      ctx.logger.info({ requestId, paymentId: row.id, cybersourceId: r.id }, 'payment approved');
      return { row, response: r, networkTransactionId };
    }
    case 'DECLINED':
    case 'AUTHORIZED_RISK_DECLINED':
    case 'PENDING_AUTHENTICATION': {
      const reason = info?.reason ?? r.status;
      await finishPayment(
        ctx.db,
        pending.id,
        { status: 'declined', declineReason: reason, ...common },
        now,
      );
      ctx.logger.info({ requestId, paymentId: pending.id, reason }, 'payment declined');
      throw stubError('card_declined', {
        reason,
        ...(info?.message ? { message: info.message } : {}),
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
      );
      throw stubError('payment_under_review', {
        ...(info?.reason ? { reason: info.reason } : {}),
        extra: { payment: paymentView(row) },
      });
    }
    case 'INVALID_REQUEST': {
      await finishPayment(
        ctx.db,
        pending.id,
        { status: 'failed', declineReason: info?.reason, ...common },
        now,
      );
      throw stubError('gateway_invalid_request', {
        ...(info?.reason ? { reason: info.reason } : {}),
        ...(info?.details ? { details: info.details } : {}),
      });
    }
  }
}
