/**
 * @module Authorization reversals and voids, by id (`/pts/v2/payments/{id}/reversals`,
 * `/pts/v2/{payments|captures|refunds|credits}/{id}/voids`) and by `transactionId` for
 * timeouts (`/pts/v2/reversals`, `/pts/v2/voids`; RELIABILITY-FACTS §3.6).
 *
 * Timeout reversal choices [inferred]: an original younger than 60 s is treated as not yet
 * known (400 MISSING_AUTH) because CyberSource says to wait 60 s first; a failed original
 * answers 201 REVERSED with `originalTransactionAmount` and its response code, reversing nothing.
 */
import type { Context } from 'hono';
import {
  ReversalRequest,
  TimeoutReversalRequest,
  TimeoutVoidRequest,
  toMinorUnits,
  VoidRequest,
} from '../../cybersource/payments/index.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { hal } from '../http/respond.ts';
import { duplicateRequest, fieldError, invalidRequest, notFound } from './errors.ts';
import { reversalBody, voidBody } from './follow-on-body.ts';
import { checkReversal, checkVoid, type Refusal } from './money-rules.ts';
import type { PaymentTxn, ReversalTxn, Txn, VoidTxn } from './store.ts';
import { clientReferenceOf, newBase } from './txn-base.ts';
import { parseBody } from './validate.ts';

type Handler = (c: Context<EmulatorEnv>) => Promise<Response>;
type State = EmulatorDeps['state'];

const refuse = (c: Context<EmulatorEnv>, ts: string, r: Refusal) =>
  invalidRequest(c, ts, r.reason, r.details ?? []);

/** Seconds CyberSource asks a client to wait before a timeout reversal (RELIABILITY-FACTS §3.6). */
export const TIMEOUT_REVERSAL_WAIT_MS = 60_000;

function reverse(
  c: Context<EmulatorEnv>,
  state: State,
  p: PaymentTxn,
  req: ReversalRequest,
  viaTimeout: boolean,
): Response {
  const ts = state.submitTimeUtc();
  const amount = req.reversalInformation.amountDetails;
  const cri = clientReferenceOf(req.clientReferenceInformation);
  if (viaTimeout && p.status === 'DECLINED') {
    const t: ReversalTxn = {
      ...newBase(state, p.merchantId, p.currency, cri),
      kind: 'reversal',
      paymentId: p.id,
      amountMinor: 0,
    };
    state.payments.add(t);
    return hal(c, reversalBody(t, p.totalMinor, p.responseCode), 201);
  }
  const refusal = checkReversal(p, toMinorUnits(amount.totalAmount, p.currency), amount.currency);
  if (refusal) return refuse(c, ts, refusal);
  const t: ReversalTxn = {
    ...newBase(state, p.merchantId, p.currency, cri),
    kind: 'reversal',
    paymentId: p.id,
    amountMinor: p.authorizedMinor,
  };
  p.reversedBy = t.id;
  state.payments.add(t);
  return hal(c, reversalBody(t, p.authorizedMinor), 201);
}

export function reversal({ state }: EmulatorDeps): Handler {
  return async (c) => {
    const parsed = await parseBody(c, ReversalRequest, () => state.submitTimeUtc());
    if (!parsed.ok) return parsed.response;
    const p = state.payments.get(c.get('merchantId'), c.req.param('id') ?? '');
    if (p?.kind !== 'payment') return notFound(c, state.submitTimeUtc());
    const tid = parsed.value.clientReferenceInformation?.transactionId;
    if (tid && state.payments.byTransactionId(p.merchantId, tid))
      return duplicateRequest(c, state.submitTimeUtc());
    return reverse(c, state, p, parsed.value, false);
  };
}

export function timeoutReversal({ state }: EmulatorDeps): Handler {
  return async (c) => {
    const parsed = await parseBody(c, TimeoutReversalRequest, () => state.submitTimeUtc());
    if (!parsed.ok) return parsed.response;
    const merchantId = c.get('merchantId');
    const original = state.payments.byTransactionId(
      merchantId,
      parsed.value.clientReferenceInformation.transactionId,
    );
    const fresh =
      original && state.now().getTime() - original.submittedAt.getTime() < TIMEOUT_REVERSAL_WAIT_MS;
    if (!original || fresh) return invalidRequest(c, state.submitTimeUtc(), 'MISSING_AUTH');
    if (original.kind !== 'payment')
      return fieldError(c, state.submitTimeUtc(), 'clientReferenceInformation.transactionId');
    return reverse(c, state, original, parsed.value, true);
  };
}

function voidIt(c: Context<EmulatorEnv>, state: State, target: Txn, req: VoidRequest): Response {
  const merchantId = target.merchantId;
  const check = checkVoid(target, (id) => state.payments.get(merchantId, id), state.now());
  if ('reason' in check) return refuse(c, state.submitTimeUtc(), check);
  const t: VoidTxn = {
    ...newBase(
      state,
      merchantId,
      target.currency,
      clientReferenceOf(req.clientReferenceInformation),
    ),
    kind: 'void',
    targetId: target.id,
    amountMinor: check.amountMinor,
  };
  check.apply(t.id);
  state.payments.add(t);
  return hal(c, voidBody(t), 201);
}

/** `kind` is what the path names; credits are not emulated, so their voids always answer 404. */
export function voidById(
  { state }: EmulatorDeps,
  kind: 'payment' | 'capture' | 'refund' | 'credit',
): Handler {
  return async (c) => {
    const parsed = await parseBody(c, VoidRequest, () => state.submitTimeUtc());
    if (!parsed.ok) return parsed.response;
    const target = state.payments.get(c.get('merchantId'), c.req.param('id') ?? '');
    if (!target || target.kind !== kind) return notFound(c, state.submitTimeUtc());
    const tid = parsed.value.clientReferenceInformation?.transactionId;
    if (tid && state.payments.byTransactionId(target.merchantId, tid))
      return duplicateRequest(c, state.submitTimeUtc());
    return voidIt(c, state, target, parsed.value);
  };
}

export function timeoutVoid({ state }: EmulatorDeps): Handler {
  return async (c) => {
    const parsed = await parseBody(c, TimeoutVoidRequest, () => state.submitTimeUtc());
    if (!parsed.ok) return parsed.response;
    const target = state.payments.byTransactionId(
      c.get('merchantId'),
      parsed.value.clientReferenceInformation.transactionId,
    );
    // No such transaction: the timeout-void page's "Response to a Declined Request", INVALID_DATA
    // with no `details` (developer.cybersource.com um-processing-timeout-void-intro.html).
    if (!target) return invalidRequest(c, state.submitTimeUtc(), 'INVALID_DATA');
    return voidIt(c, state, target, parsed.value);
  };
}
