/**
 * @module Control API: `POST /__emulator/reviews/{id}` `{"decision":"accept"|"reject"}` decides a
 * payment held for review, as a reviewer would in the Business Center (CyberSource tells the
 * merchant nothing when that happens; the merchant has to look the transaction up again).
 *
 * What each decision leaves behind [inferred; no source shows the real transaction afterwards]:
 * - `accept`: the authorization reads `AUTHORIZED`; a sale is captured now, as it would have been
 *   without the review (so it settles and refunds like any sale).
 * - `reject`: the authorization is reversed (a reversal transaction with the payment's reference
 *   code), so Transaction Details reads `REVERSED`, as for any reversed authorization.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { currentStatus } from '../payments/details-body.ts';
import type { ReversalTxn } from '../payments/store.ts';
import { newBase } from '../payments/txn-base.ts';
import { controlFailure, readControlBody } from './answers.ts';

const Decision = z.strictObject({ decision: z.enum(['accept', 'reject']) });

/** The statuses a reviewer can decide (API-FACTS §2.5 "held"). */
const REVIEWABLE = new Set(['AUTHORIZED_PENDING_REVIEW', 'PENDING_REVIEW']);

export function reviewControlRoutes({ state }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();

  app.post('/reviews/:id', async (c) => {
    const body = await readControlBody(c, Decision);
    if (!body.ok) return c.json(body.error, 400);
    const p = state.payments.transactions.get(c.req.param('id'));
    if (p?.kind !== 'payment')
      return c.json(controlFailure('not_found', 'No payment with this id.'), 404);
    if (!REVIEWABLE.has(p.status) || p.reversedBy || p.voidedBy)
      return c.json(
        controlFailure('not_under_review', 'This payment is not held for review.', {
          status: currentStatus(p),
        }),
        409,
      );
    if (body.value.decision === 'accept') {
      p.status = 'AUTHORIZED';
      if (p.sale) p.capturedMinor = p.authorizedMinor;
    } else {
      const code = p.clientReference.code;
      const t: ReversalTxn = {
        ...newBase(state, p.merchantId, p.currency, code ? { code } : {}),
        kind: 'reversal',
        paymentId: p.id,
        amountMinor: p.authorizedMinor,
      };
      p.reversedBy = t.id;
      state.payments.add(t);
    }
    return c.json({ id: p.id, status: currentStatus(p) }, 200);
  });

  return app;
}
