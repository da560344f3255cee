/**
 * @module The payment record an authorization leaves behind, from the request, the resolved card
 * and the trigger table's outcome. A sale captures only a clean approval (held or partial ones
 * wait for the merchant [inferred]); declines keep no approval code or network id.
 */
import type { PaymentRequest } from '../../cybersource/payments/index.ts';
import { approvalCode, networkTransactionId, reconciliationId, transactionId } from '../ids.ts';
import type { PaymentSource } from './payment-source.ts';
import type { PaymentTxn } from './store.ts';
import { DECLINE_MESSAGES, DECLINE_RESPONSE_CODES, type Outcome } from './triggers.ts';

function statusOf(
  outcome: Outcome,
): Pick<PaymentTxn, 'status' | 'responseCode' | 'errorInformation'> {
  switch (outcome.kind) {
    case 'decline':
      return {
        status: 'DECLINED',
        responseCode: DECLINE_RESPONSE_CODES[outcome.reason],
        errorInformation: { reason: outcome.reason, message: DECLINE_MESSAGES[outcome.reason] },
      };
    case 'review':
      return {
        status: 'AUTHORIZED_PENDING_REVIEW',
        responseCode: '100',
        errorInformation: { reason: outcome.reason, message: DECLINE_MESSAGES[outcome.reason] },
      };
    case 'risk_decline':
      return {
        status: 'AUTHORIZED_RISK_DECLINED',
        responseCode: '100',
        errorInformation: {
          reason: 'DECISION_PROFILE_REJECT',
          message: DECLINE_MESSAGES.DECISION_PROFILE_REJECT,
        },
      };
    case 'partial':
      return { status: 'PARTIAL_AUTHORIZED', responseCode: '100' };
    default:
      return { status: 'AUTHORIZED', responseCode: '100' };
  }
}

export function buildPayment(
  merchantId: string,
  now: Date,
  submitTimeUtc: string,
  req: PaymentRequest,
  source: PaymentSource,
  type: string,
  print: string,
  totalMinor: number,
  currency: string,
  outcome: Outcome,
): PaymentTxn {
  const s = statusOf(outcome);
  const approved = s.status !== 'DECLINED';
  const authorizedMinor =
    outcome.kind === 'partial' ? outcome.authorizedMinor : approved ? totalMinor : 0;
  const sale = req.processingInformation?.capture === true;
  const initiator = req.processingInformation?.authorizationOptions?.initiator;
  const storedCredential =
    initiator?.type === 'merchant' || initiator?.storedCredentialUsed
      ? 'subsequent'
      : initiator?.credentialStoredOnFile
        ? 'initial'
        : undefined;
  const n = source.card.number;
  const ntid = approved ? networkTransactionId() : undefined;
  const code = approved ? approvalCode() : undefined;
  const cri = req.clientReferenceInformation;
  return {
    kind: 'payment',
    id: transactionId(now.getTime()),
    merchantId,
    submittedAt: now,
    submitTimeUtc,
    reconciliationId: reconciliationId(),
    clientReference: {
      ...(cri?.code ? { code: cri.code } : {}),
      ...(cri?.transactionId ? { transactionId: cri.transactionId } : {}),
    },
    currency,
    sale,
    ...s,
    totalMinor,
    authorizedMinor,
    // A sale captures only a full, clean approval; held or partial ones wait for the merchant.
    capturedMinor: sale && s.status === 'AUTHORIZED' ? authorizedMinor : 0,
    refundedMinor: 0,
    card: {
      type,
      bin: n.slice(0, 6),
      suffix: n.slice(-4),
      expirationMonth: source.card.expirationMonth,
      expirationYear: source.card.expirationYear,
      fingerprint: print,
    },
    tms: { ...source.tms },
    ...(code ? { approvalCode: code } : {}),
    ...(ntid ? { networkTransactionId: ntid } : {}),
    ...(storedCredential ? { storedCredential } : {}),
    captureIds: [],
    refundIds: [],
  };
}
