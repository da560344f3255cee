/**
 * @module Captures (`/pts/v2/payments/{id}/captures`) and refunds of payments and of captures
 * (`/pts/v2/payments/{id}/refunds`, `/pts/v2/captures/{id}/refunds`) (API-FACTS §2.1, §2.6).
 */
import type { Context } from 'hono';
import { CaptureRequest, RefundRequest, toMinorUnits } from '../../cybersource/payments/index.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { hal } from '../http/respond.ts';
import { duplicateRequest, invalidRequest, notFound } from './errors.ts';
import { captureBody, refundBody } from './follow-on-body.ts';
import {
  applyCapture,
  applyRefund,
  checkCapture,
  checkRefund,
  type Refusal,
} from './money-rules.ts';
import type { CaptureTxn, PaymentTxn, RefundTxn } from './store.ts';
import { clientReferenceOf, newBase } from './txn-base.ts';
import { parseBody } from './validate.ts';

type Handler = (c: Context<EmulatorEnv>) => Promise<Response>;

const refuse = (c: Context<EmulatorEnv>, ts: string, r: Refusal) =>
  invalidRequest(c, ts, r.reason, r.details ?? []);

export function capture({ state }: EmulatorDeps): Handler {
  return async (c) => {
    const merchantId = c.get('merchantId');
    const ts = () => state.submitTimeUtc();
    const parsed = await parseBody(c, CaptureRequest, ts);
    if (!parsed.ok) return parsed.response;
    // ---- synchronous from here on ----
    const p = state.payments.get(merchantId, c.req.param('id') ?? '');
    if (p?.kind !== 'payment') return notFound(c, ts());
    const req = parsed.value;
    const tid = req.clientReferenceInformation?.transactionId;
    if (tid && state.payments.byTransactionId(merchantId, tid)) return duplicateRequest(c, ts());
    const currency = req.orderInformation.amountDetails.currency.toUpperCase();
    const amount = toMinorUnits(req.orderInformation.amountDetails.totalAmount, currency) ?? 0;
    const refusal = checkCapture(p, currency, amount);
    if (refusal) return refuse(c, ts(), refusal);
    const t: CaptureTxn = {
      ...newBase(state, merchantId, p.currency, clientReferenceOf(req.clientReferenceInformation)),
      kind: 'capture',
      paymentId: p.id,
      amountMinor: amount,
      refundedMinor: 0,
      refundIds: [],
    };
    applyCapture(p, t);
    state.payments.add(t);
    return hal(c, captureBody(t), 201);
  };
}

/** `of: 'payment'` refunds a sale or captured authorization; `of: 'capture'` one capture. */
export function refund({ state }: EmulatorDeps, of: 'payment' | 'capture'): Handler {
  return async (c) => {
    const merchantId = c.get('merchantId');
    const ts = () => state.submitTimeUtc();
    const parsed = await parseBody(c, RefundRequest, ts);
    if (!parsed.ok) return parsed.response;
    // ---- synchronous from here on ----
    const target = state.payments.get(merchantId, c.req.param('id') ?? '');
    let p: PaymentTxn | undefined;
    let cap: CaptureTxn | undefined;
    if (of === 'payment' && target?.kind === 'payment') p = target;
    if (of === 'capture' && target?.kind === 'capture') {
      cap = target;
      const owner = state.payments.get(merchantId, target.paymentId);
      p = owner?.kind === 'payment' ? owner : undefined;
    }
    if (!p) return notFound(c, ts());
    const req = parsed.value;
    const tid = req.clientReferenceInformation?.transactionId;
    if (tid && state.payments.byTransactionId(merchantId, tid)) return duplicateRequest(c, ts());
    const currency = req.orderInformation.amountDetails.currency.toUpperCase();
    const amount = toMinorUnits(req.orderInformation.amountDetails.totalAmount, currency) ?? 0;
    const refusal = checkRefund(p, cap, currency, amount);
    if (refusal) return refuse(c, ts(), refusal);
    const t: RefundTxn = {
      ...newBase(state, merchantId, p.currency, clientReferenceOf(req.clientReferenceInformation)),
      kind: 'refund',
      paymentId: p.id,
      ...(cap ? { captureId: cap.id } : {}),
      amountMinor: amount,
    };
    applyRefund(p, cap, t);
    state.payments.add(t);
    return hal(c, refundBody(t), 201);
  };
}
