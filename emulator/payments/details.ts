/**
 * @module Reading transactions back: `GET /tss/v2/transactions/{id}` (any kind) and the `self`
 * links of the Payments API (`GET /pts/v2/payments|captures|refunds|reversals|voids/{id}`).
 *
 * Open question 4: the shape of `GET /pts/v2/payments/{id}` is unknown. The emulator answers the
 * transaction-details body with the Payments spelling `submitTimeUtc` and a Payments `self`
 * link, and without `applicationInformation` [inferred].
 */
import type { Context } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { hal } from '../http/respond.ts';
import { currentStatus, detailsBody } from './details-body.ts';
import { notFound } from './errors.ts';
import { link } from './links.ts';
import type { PaymentsStore, PaymentTxn, Txn } from './store.ts';

type Handler = (c: Context<EmulatorEnv>) => Response;

export function rootOf(store: PaymentsStore, t: Txn): PaymentTxn | undefined {
  if (t.kind === 'payment') return t;
  let id: string | undefined = t.kind === 'void' ? t.targetId : t.paymentId;
  // A void points at a sale, capture or refund; walk up to the payment.
  for (let hops = 0; id && hops < 3; hops += 1) {
    const next = store.get(t.merchantId, id);
    if (!next) return undefined;
    if (next.kind === 'payment') return next;
    id = next.kind === 'void' ? next.targetId : next.paymentId;
  }
  return undefined;
}

export function transactionDetails({ state }: EmulatorDeps): Handler {
  return (c) => {
    const t = state.payments.get(c.get('merchantId'), c.req.param('id') ?? '');
    if (!t) return notFound(c, state.submitTimeUtc());
    return hal(c, detailsBody(t, rootOf(state.payments, t)), 200);
  };
}

const PTS_PATH: Record<Txn['kind'], string> = {
  payment: 'payments',
  capture: 'captures',
  refund: 'refunds',
  reversal: 'reversals',
  void: 'voids',
};

export function ptsRead({ state }: EmulatorDeps, kind: Txn['kind']): Handler {
  return (c) => {
    const t = state.payments.get(c.get('merchantId'), c.req.param('id') ?? '');
    if (t?.kind !== kind) return notFound(c, state.submitTimeUtc());
    const {
      submitTimeUTC,
      applicationInformation: _app,
      _links: _tss,
      ...rest
    } = detailsBody(t, rootOf(state.payments, t));
    return hal(
      c,
      {
        ...rest,
        // The PTS read states the status itself (Transaction Details keeps it under
        // applicationInformation).
        status: currentStatus(t),
        submitTimeUtc: submitTimeUTC,
        _links: { self: link('GET', `/pts/v2/${PTS_PATH[kind]}/${t.id}`) },
      },
      200,
    );
  };
}
