/**
 * @module One transaction as Transaction Details shows it (`GET /tss/v2/transactions/{id}`,
 * NODE `TssV2TransactionsGet200Response.md`): note `submitTimeUTC`, `rootId` (the first
 * transaction of the chain), `applicationInformation.applications` named after the Simple Order
 * services [inferred], `refundBalance`, `tokenInformation` for a payment that created TMS tokens
 * [inferred], and `_links.relatedTransactions`.
 */
import { formatMinorUnits } from '../../cybersource/payments/index.ts';
import { link } from './links.ts';
import type { CreatedTokens, PaymentTxn, Txn } from './store.ts';

const APPLICATIONS: Record<Txn['kind'], string> = {
  payment: 'ics_auth',
  capture: 'ics_bill',
  refund: 'ics_credit',
  reversal: 'ics_auth_reversal',
  void: 'ics_void',
};

/** The status a transaction has now: a reversed auth reads REVERSED, a voided sale VOIDED (open question 5). */
export function currentStatus(t: Txn): string {
  switch (t.kind) {
    case 'payment':
      if (t.status === 'DECLINED') return 'DECLINED';
      if (t.reversedBy) return 'REVERSED';
      if (t.voidedBy) return 'VOIDED';
      return t.status;
    case 'capture':
    case 'refund':
      return t.voidedBy ? 'VOIDED' : 'PENDING';
    case 'reversal':
      return 'REVERSED';
    case 'void':
      return 'VOIDED';
  }
}

function amountOf(t: Txn): number {
  return t.kind === 'payment' ? t.totalMinor : t.amountMinor;
}

function related(t: Txn, root: PaymentTxn | undefined): string[] {
  if (t.kind === 'payment') {
    return [
      ...t.captureIds,
      ...t.refundIds,
      ...(t.reversedBy ? [t.reversedBy] : []),
      ...(t.voidedBy ? [t.voidedBy] : []),
    ];
  }
  return root && root.id !== t.id ? [root.id] : [];
}

/**
 * A sale Decision Manager rejected after the issuer approved it, as a real sandbox summary shows
 * it (2024, a Visa Acceptance plugin's recorded answer; API-FACTS §2.5): `ics_decision` rejected,
 * `ics_auth` successful, no status.
 */
function riskRejected(t: PaymentTxn) {
  const app = { reconciliationId: t.reconciliationId };
  return [
    {
      name: 'ics_decision',
      reasonCode: '481',
      rCode: '0',
      rFlag: 'DREJECT',
      ...app,
      rMessage: 'Decision is REJECT.',
    },
    {
      name: 'ics_auth',
      reasonCode: '100',
      rCode: '1',
      rFlag: 'SOK',
      ...app,
      rMessage: 'Request was processed successfully.',
    },
  ];
}

function application(t: Txn, declined: boolean) {
  if (t.kind === 'payment' && t.status === 'AUTHORIZED_RISK_DECLINED') return riskRejected(t);
  const names =
    t.kind === 'payment' && t.sale && t.capturedMinor > 0
      ? ['ics_auth', 'ics_bill']
      : [APPLICATIONS[t.kind]];
  return names.map((name) => ({
    name,
    reasonCode: declined ? '481' : '100',
    rCode: declined ? '0' : '1',
    rFlag: declined ? 'DECLINE' : 'SOK',
    reconciliationId: t.reconciliationId,
    rMessage: declined ? 'Request was declined.' : 'Request was processed successfully.',
  }));
}

/**
 * The tokens the payment's TOKEN_CREATE created, as NODE `TssV2TransactionsGet200ResponseTokenInformation.md`
 * models them (`customer`, `paymentInstrument`, `shippingAddress`, `instrumentIdentifier`, each
 * `{id}`). When the
 * real service fills it, and that it names only created tokens like the payment's answer does
 * (token-create.ts), is [inferred].
 */
function tokenInformation(created: CreatedTokens) {
  return {
    ...(created.customerId ? { customer: { id: created.customerId } } : {}),
    ...(created.paymentInstrumentId
      ? { paymentInstrument: { id: created.paymentInstrumentId } }
      : {}),
    ...(created.shippingAddressId ? { shippingAddress: { id: created.shippingAddressId } } : {}),
    instrumentIdentifier: { id: created.instrumentIdentifierId },
  };
}

export function detailsBody(t: Txn, root: PaymentTxn | undefined): Record<string, unknown> {
  const money = (m: number) => formatMinorUnits(m, t.currency);
  // A risk decline reads as Decision Manager's reject, with no status (riskRejected) until the
  // merchant reverses it (then REVERSED, as any reversed authorization here).
  const risk = t.kind === 'payment' && t.status === 'AUTHORIZED_RISK_DECLINED';
  const statusShown = !(risk && !t.reversedBy);
  const declined = risk || (t.kind === 'payment' && t.status === 'DECLINED');
  const p = root;
  const refundable = p && (t.kind === 'payment' || t.kind === 'capture');
  const balance =
    t.kind === 'capture'
      ? t.amountMinor - t.refundedMinor
      : (p?.capturedMinor ?? 0) - (p?.refundedMinor ?? 0);
  return {
    id: t.id,
    rootId: p?.id ?? t.id,
    reconciliationId: t.reconciliationId,
    merchantId: t.merchantId,
    submitTimeUTC: t.submitTimeUtc,
    // As real records: no top-level `status` (NODE: it "may not be returned for all
    // transactions"; none in a real sandbox record), the status under applicationInformation,
    // whose reasonCode is a number there (applications[] keep strings).
    applicationInformation: {
      ...(statusShown ? { status: currentStatus(t) } : {}),
      reasonCode: declined ? 481 : 100,
      rCode: declined ? '0' : '1',
      rFlag: risk ? 'DREJECT' : declined ? 'DECLINE' : 'SOK',
      applications: application(t, declined),
    },
    // Only the code: Transaction Details' clientReferenceInformation has no `transactionId`
    // (NODE `TssV2TransactionsGet200ResponseClientReferenceInformation.md`; real sandbox and
    // production records show `code`, `applicationName`, `partner`), though the request and the
    // Payments answer carried it.
    clientReferenceInformation: t.clientReference.code ? { code: t.clientReference.code } : {},
    ...(t.kind === 'payment' && t.errorInformation ? { errorInformation: t.errorInformation } : {}),
    orderInformation: {
      amountDetails: {
        totalAmount: money(amountOf(t)),
        ...(t.kind === 'payment' && !declined
          ? { authorizedAmount: money(t.authorizedMinor) }
          : {}),
        currency: t.currency,
        ...(refundable ? { refundBalance: money(Math.max(0, balance)) } : {}),
      },
    },
    ...(p
      ? {
          paymentInformation: {
            card: {
              prefix: p.card.bin,
              suffix: p.card.suffix,
              type: p.card.type,
              // None for an instrument identifier paid with alone.
              ...(p.card.expirationMonth
                ? { expirationMonth: p.card.expirationMonth, expirationYear: p.card.expirationYear }
                : {}),
            },
            ...(p.tms.customerId ? { customer: { id: p.tms.customerId } } : {}),
            ...(p.tms.paymentInstrumentId
              ? { paymentInstrument: { id: p.tms.paymentInstrumentId } }
              : {}),
            ...(p.tms.instrumentIdentifierId
              ? { instrumentIdentifier: { id: p.tms.instrumentIdentifierId } }
              : {}),
          },
        }
      : {}),
    ...(t.kind === 'payment' && t.tokensCreated
      ? { tokenInformation: tokenInformation(t.tokensCreated) }
      : {}),
    ...(t.kind === 'payment'
      ? {
          processorInformation: {
            ...(t.approvalCode ? { approvalCode: t.approvalCode } : {}),
            responseCode: t.responseCode,
            ...(t.networkTransactionId
              ? {
                  transactionId: t.networkTransactionId,
                  networkTransactionId: t.networkTransactionId,
                }
              : {}),
          },
        }
      : {}),
    _links: {
      self: link('GET', `/tss/v2/transactions/${t.id}`),
      relatedTransactions: related(t, p).map((id) => link('GET', `/tss/v2/transactions/${id}`)),
    },
  };
}
