/**
 * @module `POST /pts/v2/payments`, its refunds and reversals, and the timeout void and reversal
 * (API-FACTS §2, RELIABILITY-FACTS §3.6).
 *
 * Money calls are never resent once they may have reached CyberSource. Their outcome is one of:
 * an answer (a 201, approved or declined: declines are 201 too, §2.1), a rejection that proves
 * nothing happened (400 field errors, 401), or unknown (timeout, 502 or a dropped connection:
 * "do not resend until you have reviewed the transaction status", RELIABILITY-FACTS §3.6).
 */

import type { z } from 'zod';
import {
  type PaymentRequestInput,
  PaymentResponse,
  type RefundRequest,
  RefundResponse,
  type ReversalRequest,
  ReversalResponse,
  type TimeoutReversalRequest,
  type TimeoutVoidRequest,
  VoidResponse,
} from '../../cybersource/payments/index.ts';
import type { StubError } from '../errors.ts';
import type { CallResult, CyberSourceClient } from './client.ts';
import { failureFor, parseAnswer, transportFailure } from './responses.ts';
import { TransportError } from './transport-error.ts';

export type MoneyOutcome<T> =
  | { outcome: 'answered'; response: T }
  | { outcome: 'rejected'; error: StubError }
  | { outcome: 'unknown'; why: string };

async function moneyCall<T>(
  client: CyberSourceClient,
  path: string,
  body: unknown,
  answer: z.ZodType<T>,
  requestId: string | undefined,
): Promise<MoneyOutcome<T>> {
  let result: CallResult;
  try {
    result = await client.call({
      method: 'POST',
      path,
      body,
      kind: 'payment',
      ...(requestId === undefined ? {} : { requestId }),
    });
  } catch (err) {
    if (!(err instanceof TransportError)) throw err;
    // Refused before sending (the client already retried that safely): nothing happened.
    if (!err.sent) return { outcome: 'rejected', error: transportFailure(err) };
    return { outcome: 'unknown', why: err.failure };
  }
  if (result.status === 201 || result.status === 200) {
    try {
      return { outcome: 'answered', response: parseAnswer(result, answer) };
    } catch {
      // A 201 we cannot read may still have moved money.
      return { outcome: 'unknown', why: 'unreadable_answer' };
    }
  }
  // Refused: nothing was processed. Anything else may have been (a 5xx: SERVER_TIMEOUT, §3.6;
  // a status the 2020 spec does not give these calls, e.g. a proxy's 408 or a 202), so it is
  // looked up, never taken for "not charged".
  if (REFUSED.has(result.status)) return { outcome: 'rejected', error: failureFor(result) };
  return { outcome: 'unknown', why: `http_${result.status}` };
}

/**
 * Statuses that say a money call was refused before it was processed: 400 (its field details),
 * 401/403 (credentials, §1.4), 404 (no such payment to follow on), 409 (a refund or reversal in
 * the wrong state), 422, and 429 (throttled).
 */
const REFUSED: ReadonlySet<number> = new Set([400, 401, 403, 404, 409, 422, 429]);

export function createPayment(
  client: CyberSourceClient,
  body: PaymentRequestInput,
  requestId?: string,
): Promise<MoneyOutcome<PaymentResponse>> {
  return moneyCall(client, '/pts/v2/payments', body, PaymentResponse, requestId);
}

export function refundPayment(
  client: CyberSourceClient,
  paymentId: string,
  body: RefundRequest,
  requestId?: string,
): Promise<MoneyOutcome<RefundResponse>> {
  return moneyCall(
    client,
    `/pts/v2/payments/${encodeURIComponent(paymentId)}/refunds`,
    body,
    RefundResponse,
    requestId,
  );
}

/**
 * `POST /pts/v2/payments/{id}/reversals`: releases an authorization that was not captured, for
 * the authorized amount (API-FACTS §2.6). A money call like the others: sent once; a second
 * attempt after a lost answer is refused `AUTH_ALREADY_REVERSED` if the first went through.
 */
export function reverseAuthorization(
  client: CyberSourceClient,
  paymentId: string,
  body: ReversalRequest,
  requestId?: string,
): Promise<MoneyOutcome<ReversalResponse>> {
  return moneyCall(
    client,
    `/pts/v2/payments/${encodeURIComponent(paymentId)}/reversals`,
    body,
    ReversalResponse,
    requestId,
  );
}

/**
 * `POST /pts/v2/voids`: the timeout void of a sale, capture or refund that got no answer, found
 * by its `transactionId` (RELIABILITY-FACTS §3.6). A money call: never resent once sent.
 */
export function timeoutVoid(
  client: CyberSourceClient,
  body: TimeoutVoidRequest,
  requestId?: string,
): Promise<MoneyOutcome<VoidResponse>> {
  return moneyCall(client, '/pts/v2/voids', body, VoidResponse, requestId);
}

/**
 * `POST /pts/v2/reversals`: the timeout reversal of an authorization that was not captured,
 * found by its `transactionId`, for the authorized amount (RELIABILITY-FACTS §3.6).
 */
export function timeoutReversal(
  client: CyberSourceClient,
  body: TimeoutReversalRequest,
  requestId?: string,
): Promise<MoneyOutcome<ReversalResponse>> {
  return moneyCall(client, '/pts/v2/reversals', body, ReversalResponse, requestId);
}
