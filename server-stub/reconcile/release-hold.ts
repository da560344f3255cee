/**
 * @module Releasing the authorization of a risk-declined sale (migration 013). CyberSource
 * answers `AUTHORIZED_RISK_DECLINED` (API-FACTS §2.5 "held") when the issuer approved but the
 * merchant's Decision Manager profile rejected the order: nothing is captured, yet the issuer
 * keeps the amount on hold on the shopper's card until the authorization lapses, days later.
 * CyberSource's advice for an order refused after its authorization is to reverse that
 * authorization "if supported by your processor" (Decision Manager reviews, client SDK guide);
 * we always try, with `reversalInformation.reason` `34` ("suspected fraud", ignored by
 * processors without it; the `ccAuthReversalService_reversalReason` field page).
 *
 *   held ──(hold_next_at reached; the reconciler's pass)──▶ POST /pts/v2/payments/{id}/reversals
 *     201 REVERSED, or 400 AUTH_ALREADY_REVERSED /       ──▶ released
 *       TRANSACTION_ALREADY_REVERSED_OR_SETTLED
 *     any other 400 (not supported, settled…), 404        ──▶ release_failed (logged for a person;
 *                                                             the hold lapses by itself)
 *     no answer, 401, 429, 5xx, refused connection,       ──▶ held; tried again later (backoff),
 *       400 PROCESSOR_UNAVAILABLE                             release_failed after MAX attempts
 *
 * A reversal is safe to send again: one that went through makes the next one answer
 * AUTH_ALREADY_REVERSED. The shopper's decline answer never waits for any of this.
 */
import type { CheckoutContext } from '../checkout/context.ts';
import { reverseAuthorization } from '../cybersource/payments.ts';
import { Currency, formatAmount } from '../money.ts';
import { recordHoldAttempt } from '../store/payments.ts';
import type { PaymentRow } from '../store/rows.ts';

/** Tries per hold: the first at once, then after 1, 2, 4, 8 and 16 × RECONCILE_AFTER_SECONDS. */
export const MAX_RELEASE_ATTEMPTS = 6;

/** CyberSource refusals that say nothing is held any more. */
const NOTHING_HELD = new Set(['AUTH_ALREADY_REVERSED', 'TRANSACTION_ALREADY_REVERSED_OR_SETTLED']);

export type HoldOutcome = 'released' | 'failed' | 'retrying';

export async function releaseHold(
  ctx: CheckoutContext,
  row: PaymentRow,
  requestId: string,
  /** The reconciler's wait (RECONCILE_AFTER_SECONDS): the first retry's delay. */
  retryAfterMs: number,
): Promise<HoldOutcome> {
  const log = ctx.logger.child({ requestId, paymentId: row.id, cybersourceId: row.cybersource_id });
  const currency = Currency.safeParse(row.currency);
  if (row.cybersource_id === null || !currency.success) {
    log.error('authorization hold cannot be reversed: no CyberSource id or currency');
    return end(ctx, row, 'release_failed');
  }
  const outcome = await reverseAuthorization(
    ctx.client,
    row.cybersource_id,
    {
      clientReferenceInformation: { code: row.reference_code },
      reversalInformation: {
        reason: '34',
        // The authorized amount (API-FACTS §2.6): the whole amount, since every sale asks for
        // no partial authorization (`partialAuthIndicator: false`).
        amountDetails: {
          totalAmount: formatAmount(row.amount, currency.data),
          currency: currency.data,
        },
      },
    },
    requestId,
  );
  if (outcome.outcome === 'answered') {
    log.info('authorization of a declined payment reversed; shopper funds released');
    return end(ctx, row, 'released');
  }
  if (outcome.outcome === 'rejected') {
    const { code, reason } = outcome.error;
    if (code === 'gateway_invalid_request' && reason && NOTHING_HELD.has(reason)) {
      log.info({ reason }, 'authorization of a declined payment already reversed');
      return end(ctx, row, 'released');
    }
    // CyberSource refused this reversal (the processor does not support it, the authorization
    // was captured, it is unknown there): asking again would be refused the same way. Not a
    // processor that did not answer (PROCESSOR_UNAVAILABLE, in the 2020 spec's reversal 400
    // reasons): that one is asked again later.
    const lasting = code === 'not_found' || reason !== 'PROCESSOR_UNAVAILABLE';
    if ((code === 'gateway_invalid_request' || code === 'not_found') && lasting) {
      log.error(
        { code, reason: reason ?? null },
        'authorization of a declined payment could not be reversed; it lapses by itself',
      );
      return end(ctx, row, 'release_failed');
    }
  }
  // No answer, or a failure on our side of the call (credentials, connection): try again.
  const attempts = row.hold_attempts + 1;
  if (attempts >= MAX_RELEASE_ATTEMPTS) {
    log.error({ attempts }, 'authorization hold still not reversed; giving up');
    return end(ctx, row, 'release_failed');
  }
  const retryAt = new Date(ctx.now().getTime() + retryAfterMs * 2 ** (attempts - 1));
  log.warn(
    {
      attempts,
      retryAt: retryAt.toISOString(),
      why: outcome.outcome === 'unknown' ? outcome.why : outcome.error.code,
    },
    'authorization hold reversal got no answer; trying again later',
  );
  await recordHoldAttempt(ctx.db, row.id, { retryAt });
  return 'retrying';
}

async function end(
  ctx: CheckoutContext,
  row: PaymentRow,
  ended: 'released' | 'release_failed',
): Promise<HoldOutcome> {
  await recordHoldAttempt(ctx.db, row.id, { ended });
  return ended === 'released' ? 'released' : 'failed';
}
