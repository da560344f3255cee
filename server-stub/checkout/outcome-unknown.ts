/**
 * @module The hook told when a payment or refund may or may not have happened (timeout, 502,
 * dropped connection): the row is marked `unknown` and never resent. The reconciler
 * (`reconcile/`) finds such rows in the database by itself after RECONCILE_AFTER_SECONDS, looks
 * them up and records them, or cancels them with a timeout void/reversal by `transactionId`
 * (RELIABILITY-FACTS §3.6); this hook is for alerting and tests. A shopper retry with the same
 * Idempotency-Key replays the 202 until the reconciler stores the final answer.
 */
import type { Logger } from '../logger.ts';

export interface OutcomeUnknownEvent {
  kind: 'payment' | 'refund';
  /** The stub's id of the row. */
  id: string;
  /** `clientReferenceInformation.transactionId` sent with it. */
  transactionId: string;
  /** What happened: `timeout`, `connection`, `http_502`, … */
  why: string;
}

export type OutcomeUnknownHandler = (event: OutcomeUnknownEvent) => void;

/** The default: log it for an operator; the reconciler's work list is `listUnknownPayments`. */
export function logOutcomeUnknown(logger: Logger): OutcomeUnknownHandler {
  return (event) =>
    logger.warn({ outcomeUnknown: event }, 'payment outcome unknown: needs reconciliation');
}
