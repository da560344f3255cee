/**
 * @module The boundary to the reconciler (a later issue). When a payment or refund may or may
 * not have happened (timeout, 502, dropped connection), the row is marked `unknown` and this
 * hook is told. The reconciler will look the transaction up (`GET /tss/v2/transactions/{id}`,
 * `cybersource/transactions.ts`) after 60 s and send a timeout reversal or void by
 * `transactionId` if it cannot be resolved (RELIABILITY-FACTS §3.6). Until then the stub never
 * resends it: a shopper retry with the same Idempotency-Key replays the 202.
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

/** The default: log it for an operator; `listUnknownPayments` in the store is the work list. */
export function logOutcomeUnknown(logger: Logger): OutcomeUnknownHandler {
  return (event) =>
    logger.warn({ outcomeUnknown: event }, 'payment outcome unknown: needs reconciliation');
}
