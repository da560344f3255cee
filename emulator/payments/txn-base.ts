/**
 * @module Fields every new follow-on transaction starts with.
 */
import type { ClientReferenceInformation } from '../../cybersource/payments/index.ts';
import { reconciliationId, transactionId } from '../ids.ts';
import type { EmulatorState } from '../state.ts';
import type { ClientReference } from './store.ts';

/**
 * What a new transaction echoes of the request's `clientReferenceInformation`. A timeout void or
 * reversal echoes the `transactionId` it named its target by, as CyberSource's timeout-void
 * example answer does (developer.cybersource.com `um-processing-timeout-void-intro.html`:
 * request and answer both `"transactionId": "888858556"`).
 */
export function clientReferenceOf(cri: ClientReferenceInformation | undefined): ClientReference {
  return {
    ...(cri?.code ? { code: cri.code } : {}),
    ...(cri?.transactionId ? { transactionId: cri.transactionId } : {}),
  };
}

export function newBase(
  state: EmulatorState,
  merchantId: string,
  currency: string,
  clientReference: ClientReference,
) {
  const now = state.now();
  return {
    id: transactionId(now.getTime()),
    merchantId,
    submittedAt: now,
    submitTimeUtc: state.submitTimeUtc(),
    reconciliationId: reconciliationId(),
    clientReference,
    currency,
  };
}
