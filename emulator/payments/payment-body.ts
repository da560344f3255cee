/**
 * @module The 201 body of `POST /pts/v2/payments`, shaped like the real sandbox transcript
 * (API-FACTS §2.6): amounts as strings with the currency's decimals, `paymentAccountInformation`
 * and `paymentInformation.tokenizedCard` type echoes, terminal id 111111, AVS X/I1.
 */
import { formatMinorUnits } from '../../cybersource/payments/index.ts';
import { paymentLinks } from './links.ts';
import type { PaymentTxn } from './store.ts';

export interface TokenCreated {
  instrumentidentifierNew: boolean;
  /** Only a customer this request created (token-create.ts). */
  customerId?: string;
  paymentInstrumentId?: string;
  shippingAddressId?: string;
  instrumentIdentifier: { id: string; state: string };
}

function clientReference(p: PaymentTxn) {
  return {
    ...(p.clientReference.code ? { code: p.clientReference.code } : {}),
    ...(p.clientReference.transactionId ? { transactionId: p.clientReference.transactionId } : {}),
  };
}

function amountDetails(p: PaymentTxn) {
  const money = (minor: number) => formatMinorUnits(minor, p.currency);
  if (p.status === 'DECLINED') return { currency: p.currency };
  // Sales and partial approvals also carry the requested total (API-FACTS §2.6).
  const withTotal = p.sale || p.status === 'PARTIAL_AUTHORIZED';
  return {
    ...(withTotal ? { totalAmount: money(p.totalMinor) } : {}),
    authorizedAmount: money(p.authorizedMinor),
    currency: p.currency,
  };
}

function tmsEcho(p: PaymentTxn) {
  const t = p.tms;
  return {
    ...(t.customerId ? { customer: { id: t.customerId } } : {}),
    ...(t.paymentInstrumentId ? { paymentInstrument: { id: t.paymentInstrumentId } } : {}),
    ...(t.shippingAddressId ? { shippingAddress: { id: t.shippingAddressId } } : {}),
    ...(t.instrumentIdentifierId
      ? {
          instrumentIdentifier: {
            id: t.instrumentIdentifierId,
            state: t.instrumentIdentifierState ?? 'ACTIVE',
          },
        }
      : {}),
  };
}

function processorInformation(p: PaymentTxn) {
  if (p.status === 'DECLINED') return { responseCode: p.responseCode };
  const review = p.errorInformation?.reason;
  return {
    approvalCode: p.approvalCode,
    networkTransactionId: p.networkTransactionId,
    transactionId: p.networkTransactionId,
    responseCode: p.responseCode,
    avs: review === 'AVS_FAILED' ? { code: 'N', codeRaw: 'N' } : { code: 'X', codeRaw: 'I1' },
    ...(review === 'CV_FAILED'
      ? { cardVerification: { resultCode: 'N', resultCodeRaw: 'N' } }
      : {}),
    ...(p.tms.paymentAccountReference
      ? { paymentAccountReferenceNumber: p.tms.paymentAccountReference }
      : {}),
  };
}

export function paymentBody(p: PaymentTxn, tokenCreated?: TokenCreated): Record<string, unknown> {
  return {
    _links: paymentLinks(p),
    clientReferenceInformation: clientReference(p),
    id: p.id,
    ...(p.errorInformation ? { errorInformation: p.errorInformation } : {}),
    orderInformation: { amountDetails: amountDetails(p) },
    paymentAccountInformation: { card: { type: p.card.type } },
    paymentInformation: {
      tokenizedCard: { type: p.card.type },
      card: { type: p.card.type },
      ...tmsEcho(p),
    },
    pointOfSaleInformation: { terminalId: '111111' },
    processorInformation: processorInformation(p),
    reconciliationId: p.reconciliationId,
    status: p.status,
    submitTimeUtc: p.submitTimeUtc,
    ...(tokenCreated
      ? {
          tokenInformation: {
            instrumentidentifierNew: tokenCreated.instrumentidentifierNew,
            ...(tokenCreated.customerId ? { customer: { id: tokenCreated.customerId } } : {}),
            ...(tokenCreated.paymentInstrumentId
              ? { paymentInstrument: { id: tokenCreated.paymentInstrumentId } }
              : {}),
            // NODE PtsV2PaymentsPost201ResponseTokenInformationShippingAddress: "the Customers
            // Shipping Address token that was created as part of a bundled TOKEN_CREATE action"
            ...(tokenCreated.shippingAddressId
              ? { shippingAddress: { id: tokenCreated.shippingAddressId } }
              : {}),
            instrumentIdentifier: tokenCreated.instrumentIdentifier,
          },
        }
      : {}),
  };
}
