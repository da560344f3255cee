/**
 * @module 201 bodies of captures, refunds, reversals and voids (API-FACTS §2.6). A capture has
 * `void` and `self` links and no `refund` link, as in the real transcript (open question 5).
 */
import { formatMinorUnits } from '../../cybersource/payments/index.ts';
import { link } from './links.ts';
import type { CaptureTxn, ClientReference, RefundTxn, ReversalTxn, VoidTxn } from './store.ts';

/** What the request said of itself, as every answer echoes it (the timeout-void example answer too). */
const cri = (r: ClientReference) => ({
  ...(r.code ? { code: r.code } : {}),
  ...(r.transactionId ? { transactionId: r.transactionId } : {}),
});

export function captureBody(t: CaptureTxn): Record<string, unknown> {
  return {
    _links: {
      void: link('POST', `/pts/v2/captures/${t.id}/voids`),
      self: link('GET', `/pts/v2/captures/${t.id}`),
    },
    clientReferenceInformation: cri(t.clientReference),
    id: t.id,
    orderInformation: {
      amountDetails: {
        totalAmount: formatMinorUnits(t.amountMinor, t.currency),
        currency: t.currency,
      },
    },
    reconciliationId: t.reconciliationId,
    status: 'PENDING',
    submitTimeUtc: t.submitTimeUtc,
  };
}

export function refundBody(t: RefundTxn): Record<string, unknown> {
  return {
    _links: {
      void: link('POST', `/pts/v2/refunds/${t.id}/voids`),
      self: link('GET', `/pts/v2/refunds/${t.id}`),
    },
    clientReferenceInformation: cri(t.clientReference),
    id: t.id,
    // As the real answer carries it (API-FACTS §2.6), though neither the 2020 spec nor NODE's
    // model lists a currency here: test/spec allows it.
    orderInformation: { amountDetails: { currency: t.currency } },
    processorInformation: { responseCode: '100' },
    reconciliationId: t.reconciliationId,
    refundAmountDetails: {
      refundAmount: formatMinorUnits(t.amountMinor, t.currency),
      currency: t.currency,
    },
    status: 'PENDING',
    submitTimeUtc: t.submitTimeUtc,
  };
}

/** `original` given and no amount reversed: a timeout reversal of a failed authorization (RELIABILITY-FACTS §3.6). */
export function reversalBody(
  t: ReversalTxn,
  originalMinor: number,
  failedResponseCode?: string,
): Record<string, unknown> {
  const money = (m: number) => formatMinorUnits(m, t.currency);
  return {
    _links: { self: link('GET', `/pts/v2/reversals/${t.id}`) },
    clientReferenceInformation: cri(t.clientReference),
    id: t.id,
    // As developer.cybersource.com's reversal answer carries it, though neither the 2020 spec
    // nor NODE's model has an `orderInformation` here: test/spec allows it.
    orderInformation: { amountDetails: { currency: t.currency } },
    processorInformation: { responseCode: failedResponseCode ?? '100' },
    reconciliationId: t.reconciliationId,
    reversalAmountDetails: {
      ...(failedResponseCode ? {} : { reversedAmount: money(t.amountMinor) }),
      originalTransactionAmount: money(originalMinor),
      currency: t.currency,
    },
    status: 'REVERSED',
    submitTimeUtc: t.submitTimeUtc,
  };
}

export function voidBody(t: VoidTxn): Record<string, unknown> {
  const amount = formatMinorUnits(t.amountMinor, t.currency);
  return {
    _links: { self: link('GET', `/pts/v2/voids/${t.id}`) },
    clientReferenceInformation: cri(t.clientReference),
    id: t.id,
    orderInformation: { amountDetails: { currency: t.currency } },
    status: 'VOIDED',
    submitTimeUtc: t.submitTimeUtc,
    voidAmountDetails: {
      currency: t.currency,
      voidAmount: amount,
      originalTransactionAmount: amount,
    },
  };
}
