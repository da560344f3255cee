/**
 * @module The money rules, each a check and its write with no `await` in between (so two
 * concurrent requests can never both pass a check that only one may pass):
 * capture ≤ authorized − captured; refunds ≤ captured − refunded (payment-wide, and per
 * capture); same currency as the original; no capture after a reversal; no refund after a
 * void; voids only before settlement (`settlement.ts`). All in integer minor units.
 */
import type { FieldDetail, InvalidReason } from './errors.ts';
import { isSettled } from './settlement.ts';
import type { CaptureTxn, PaymentTxn, RefundTxn, Txn } from './store.ts';

export type Refusal = { reason: InvalidReason; details?: FieldDetail[] };

const AMOUNT = 'orderInformation.amountDetails.totalAmount';
const CURRENCY = 'orderInformation.amountDetails.currency';
const field = (f: string): FieldDetail[] => [{ field: f, reason: 'INVALID_DATA' }];

function moneyCheck(p: PaymentTxn, currency: string, amountMinor: number): Refusal | undefined {
  if (currency !== p.currency) return { reason: 'INVALID_DATA', details: field(CURRENCY) };
  if (amountMinor <= 0) return { reason: 'INVALID_DATA', details: field(AMOUNT) };
  return undefined;
}

export function checkCapture(
  p: PaymentTxn,
  currency: string,
  amountMinor: number,
): Refusal | undefined {
  if (p.status === 'DECLINED') return { reason: 'MISSING_AUTH' };
  if (p.reversedBy) return { reason: 'AUTH_ALREADY_REVERSED' };
  // A clean sale was captured by its own request; voiding it does not reopen it.
  if ((p.sale && p.status === 'AUTHORIZED') || p.voidedBy)
    return { reason: 'TRANSACTION_ALREADY_REVERSED_OR_SETTLED' };
  const bad = moneyCheck(p, currency, amountMinor);
  if (bad) return bad;
  if (amountMinor > p.authorizedMinor - p.capturedMinor)
    return { reason: 'EXCEEDS_AUTH_AMOUNT', details: field(AMOUNT) };
  return undefined;
}

export function applyCapture(p: PaymentTxn, capture: CaptureTxn): void {
  p.capturedMinor += capture.amountMinor;
  p.captureIds.push(capture.id);
}

/** A refund of the payment itself, or of one of its captures (`capture` given). */
export function checkRefund(
  p: PaymentTxn,
  capture: CaptureTxn | undefined,
  currency: string,
  amountMinor: number,
): Refusal | undefined {
  // The real sandbox refuses a refund of a declined purchase with INVALID_DATA (API-FACTS §6).
  if (p.status === 'DECLINED') return { reason: 'INVALID_DATA' };
  if (p.voidedBy || capture?.voidedBy) return { reason: 'CAPTURE_ALREADY_VOIDED' };
  const bad = moneyCheck(p, currency, amountMinor);
  if (bad) return bad;
  let available = p.capturedMinor - p.refundedMinor;
  if (capture) available = Math.min(available, capture.amountMinor - capture.refundedMinor);
  if (amountMinor > available) return { reason: 'INVALID_AMOUNT', details: field(AMOUNT) };
  return undefined;
}

export function applyRefund(
  p: PaymentTxn,
  capture: CaptureTxn | undefined,
  refund: RefundTxn,
): void {
  p.refundedMinor += refund.amountMinor;
  p.refundIds.push(refund.id);
  if (capture) {
    capture.refundedMinor += refund.amountMinor;
    capture.refundIds.push(refund.id);
  }
}

/** The reversal amount must equal the authorized amount (API-FACTS §2.6). */
export function checkReversal(
  p: PaymentTxn,
  amountMinor: number | undefined,
  currency: string | undefined,
): Refusal | undefined {
  // The real sandbox answers a reversal of a declined auth with "missing one or more fields" (API-FACTS §6).
  if (p.status === 'DECLINED') return { reason: 'MISSING_FIELD' };
  if (p.reversedBy) return { reason: 'AUTH_ALREADY_REVERSED' };
  if (p.capturedMinor > 0) return { reason: 'TRANSACTION_ALREADY_REVERSED_OR_SETTLED' };
  if (currency !== undefined && currency.toUpperCase() !== p.currency) {
    return { reason: 'INVALID_DATA', details: field('reversalInformation.amountDetails.currency') };
  }
  if (amountMinor !== p.authorizedMinor) {
    return {
      reason: 'INVALID_DATA',
      details: field('reversalInformation.amountDetails.totalAmount'),
    };
  }
  return undefined;
}

export interface Voidable {
  amountMinor: number;
  apply: (voidId: string) => void;
}

/**
 * What a void would undo, or why it cannot: sales, captures and refunds are voidable until
 * settled; an authorization is reversed, not voided; a capture or sale with live refunds is not
 * voidable until those refunds are voided (else refunded could exceed captured).
 */
export function checkVoid(
  target: Txn,
  lookup: (id: string) => Txn | undefined,
  now: Date,
): Voidable | Refusal {
  const notVoidable: Refusal = { reason: 'NOT_VOIDABLE' };
  if (isSettled(target.submittedAt, now)) return notVoidable;
  const payment = target.kind === 'payment' ? target : paymentOf(target, lookup);
  if (!payment) return notVoidable;
  switch (target.kind) {
    case 'payment': {
      if (
        !target.sale ||
        target.status !== 'AUTHORIZED' ||
        target.voidedBy ||
        target.refundedMinor > 0
      ) {
        return notVoidable;
      }
      const amount = target.authorizedMinor;
      return {
        amountMinor: amount,
        apply: (id) => {
          target.voidedBy = id;
          target.capturedMinor -= amount;
        },
      };
    }
    case 'capture': {
      if (target.voidedBy || target.refundedMinor > 0) return notVoidable;
      if (payment.refundedMinor > payment.capturedMinor - target.amountMinor) return notVoidable;
      return {
        amountMinor: target.amountMinor,
        apply: (id) => {
          target.voidedBy = id;
          payment.capturedMinor -= target.amountMinor;
        },
      };
    }
    case 'refund': {
      if (target.voidedBy) return notVoidable;
      const capture = target.captureId ? lookup(target.captureId) : undefined;
      return {
        amountMinor: target.amountMinor,
        apply: (id) => {
          target.voidedBy = id;
          payment.refundedMinor -= target.amountMinor;
          if (capture?.kind === 'capture') capture.refundedMinor -= target.amountMinor;
        },
      };
    }
    default:
      return notVoidable;
  }
}

function paymentOf(t: Txn, lookup: (id: string) => Txn | undefined): PaymentTxn | undefined {
  const id = t.kind === 'void' ? undefined : t.kind === 'payment' ? t.id : t.paymentId;
  const p = id ? lookup(id) : undefined;
  return p?.kind === 'payment' ? p : undefined;
}
