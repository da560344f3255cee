/**
 * @module Fields every new follow-on transaction starts with.
 */
import type { ClientReferenceInformation } from '../../cybersource/payments/index.ts';
import { reconciliationId, transactionId } from '../ids.ts';
import type { EmulatorState } from '../state.ts';
import type { ClientReference } from './store.ts';

export function clientReferenceOf(
  cri: ClientReferenceInformation | undefined,
  keepTransactionId = true,
): ClientReference {
  return {
    ...(cri?.code ? { code: cri.code } : {}),
    ...(keepTransactionId && cri?.transactionId ? { transactionId: cri.transactionId } : {}),
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
