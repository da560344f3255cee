/**
 * @module Answering idempotency keys once their payment or refund is resolved. The request
 * linked its key to the row it created (`linkHeldKey`); when the row becomes final:
 * - a key a crash left `in_flight` gets the final answer instead of 409 forever;
 * - a key that answered 202 `payment_outcome_unknown` / `refund_outcome_unknown` /
 *   `payment_under_review` now replays the final answer, so a shopper retrying with the same key
 *   learns the outcome (the 202 was never an outcome; Stripe's v2 retries likewise "drive work
 *   to completion", RELIABILITY-FACTS §2.1). Any other stored answer is final already and is
 *   left alone.
 */
import { z } from 'zod';
import type { CheckoutContext } from '../checkout/context.ts';
import { adminPaymentView, paymentView, refundView, subscriptionView } from '../checkout/views.ts';
import { stubError } from '../errors.ts';
import type { Queryable } from '../store/database.ts';
import { completeKey, keysForResource } from '../store/idempotency.ts';
import { findPayment } from '../store/payments.ts';
import type { PaymentRow, RefundRow } from '../store/rows.ts';
import { findSubscription } from '../store/subscriptions.ts';

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Answers the reconciler replaces once the row is final. `internal_error` included: a request
 * that failed after its pending row was written (a lost database write after the sale) answered
 * 500, and replaying that 500 for a day would hide a charge the shopper could then pay again.
 */
const Provisional = z.object({
  error: z.object({
    code: z.enum([
      'payment_outcome_unknown',
      'refund_outcome_unknown',
      'payment_under_review',
      'internal_error',
    ]),
  }),
});

/** What `POST /api/checkout/payments` or a renewal would have answered, from the final row. */
export async function paymentAnswer(db: Queryable, row: PaymentRow): Promise<Answer | undefined> {
  const payment = paymentView(row);
  switch (row.status) {
    case 'succeeded': {
      const sub = row.subscription_id ? await findSubscription(db, row.subscription_id) : undefined;
      // A new card (it came with a checkout session) that was kept answers its method id.
      const kept = row.session_id !== null && row.payment_method_id !== null;
      return {
        status: 201,
        body: {
          payment,
          ...(sub ? { subscription: subscriptionView(sub) } : {}),
          ...(kept && row.kind !== 'renewal' ? { paymentMethodId: row.payment_method_id } : {}),
        },
      };
    }
    case 'declined': {
      const e = stubError('card_declined', {
        reason: row.decline_reason ?? 'DECLINED',
        extra: { payment },
      });
      return { status: e.status, body: e.toBody() };
    }
    case 'review': {
      const e = stubError('payment_under_review', {
        ...(row.decline_reason ? { reason: row.decline_reason } : {}),
        extra: { payment },
      });
      return { status: e.status, body: e.toBody() };
    }
    case 'failed': {
      const e = stubError('payment_canceled', {
        ...(row.decline_reason ? { reason: row.decline_reason } : {}),
        extra: { payment },
      });
      return { status: e.status, body: e.toBody() };
    }
    case 'pending':
    case 'unknown':
      return undefined;
  }
}

/** What `POST /api/admin/payments/{id}/refunds` would have answered, from the final row. */
export async function refundAnswer(db: Queryable, row: RefundRow): Promise<Answer | undefined> {
  const payment = await findPayment(db, row.payment_id);
  const currency = payment?.currency ?? '';
  switch (row.status) {
    case 'succeeded':
      return {
        status: 201,
        body: {
          refund: refundView(row, currency),
          ...(payment ? { payment: adminPaymentView(payment) } : {}),
        },
      };
    case 'failed': {
      const e = stubError('refund_declined', {
        ...(row.failure_reason ? { reason: row.failure_reason } : {}),
      });
      return { status: e.status, body: e.toBody() };
    }
    case 'pending':
    case 'unknown':
      return undefined;
  }
}

/** Stores `answer` on every key linked to `resourceId` that is in flight or provisional. */
export async function answerKeys(
  ctx: CheckoutContext,
  resourceId: string,
  answer: Answer,
): Promise<number> {
  let answered = 0;
  for (const k of await keysForResource(ctx.db, resourceId)) {
    const provisional = k.status === 'done' && Provisional.safeParse(k.response_body).success;
    if (k.status !== 'in_flight' && !provisional) continue;
    await completeKey(ctx.db, k.scope, k.key, answer.status, answer.body, ctx.now());
    answered += 1;
  }
  return answered;
}
