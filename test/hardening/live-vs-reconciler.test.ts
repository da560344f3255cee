/**
 * A live money call and the reconciler racing on one row: the reconciler leaves a `pending` row
 * alone until the live call has surely timed out, and a late live answer never overwrites what
 * the reconciler recorded (every live write is a compare-and-set on `pending`); the live request
 * answers from the row's final state instead.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { reconcilePayment } from '../../server-stub/reconcile/payment.ts';
import { reconcileRefund } from '../../server-stub/reconcile/refund.ts';
import { findPayment, insertPendingPayment } from '../../server-stub/store/payments.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import { admin } from '../server-stub/harness.ts';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

/** Runs after CyberSource processed a matching call and before its answer reaches the stub. */
let midFlight:
  | { path: (p: string) => boolean; run: () => Promise<Response | undefined> }
  | undefined;

function withMidFlight(f: typeof fetch): typeof fetch {
  return async (input, init) => {
    const res = await f(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const hook = midFlight;
    if (!hook || init?.method !== 'POST' || !hook.path(new URL(url).pathname)) return res;
    midFlight = undefined; // once, and not for the reconciler's own calls
    return (await hook.run()) ?? res;
  };
}

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({ wrapFetch: withMidFlight });
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.state.faults.clear();
  midFlight = undefined;
});

describe('live call vs reconciler', () => {
  it('leaves a pending row alone until RECONCILE_AFTER_SECONDS + the payment timeout', async () => {
    const id = `pay_pending_${Date.now()}`;
    await insertPendingPayment(h.stub.db, {
      id,
      kind: 'one_time',
      shopperId: undefined,
      sessionId: undefined,
      itemId: 'tshirt',
      subscriptionId: undefined,
      period: undefined,
      amount: 2500,
      currency: 'USD',
      transactionId: `tid-${id}`,
      referenceCode: id,
      paymentMethodId: undefined,
      customerId: undefined,
      cardBrand: undefined,
      cardLast4: undefined,
      createdAt: h.clock.now(),
    });
    h.clock.advance(61_000); // past afterMs (60 s) and the 2.5 s payment timeout, not their sum
    await h.stub.reconciler.runOnce();
    expect((await findPayment(h.stub.db, id))?.status).toBe('pending');
    h.clock.advance(2_000);
    await h.stub.reconciler.runOnce();
    expect((await findPayment(h.stub.db, id))?.status).toBe('failed');
  });

  it('starts one subscription when the reconciler records the plan payment first', async () => {
    midFlight = {
      path: (p) => p === '/pts/v2/payments',
      run: async () => {
        const [row] = (
          await h.stub.db.query(
            "SELECT id FROM payments WHERE status = 'pending' ORDER BY created_at",
          )
        ).rows as { id: string }[];
        const pending = row ? await findPayment(h.stub.db, row.id) : undefined;
        if (pending) await reconcilePayment(h.stub.checkout, pending, 'test-reconcile');
        return undefined;
      },
    };
    const r = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
    expect(r.status).toBe(201);
    expect(r.body.payment.status).toBe('succeeded');
    const subs = await h.stub.db.query(
      'SELECT s.id FROM subscriptions s JOIN payments p ON p.shopper_id = s.shopper_id WHERE p.id = $1',
      [r.body.payment.id],
    );
    expect(subs.rows).toHaveLength(1);
    expect(r.body.subscription?.id).toBe((subs.rows[0] as { id: string }).id);
  });

  it('keeps the amount reserved when the reconciler recorded the refund and a late answer refuses it', async () => {
    const paid = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 10_000 });
    const paymentId = String(paid.body.payment.id);
    midFlight = {
      path: (p) => p.endsWith('/refunds'),
      run: async () => {
        const [refund] = await listRefunds(h.stub.db, paymentId);
        if (refund) await reconcileRefund(h.stub.checkout, refund, 'USD', 'test-reconcile');
        // A late, contradicting answer: a field error (which would normally release the amount).
        return new Response(
          JSON.stringify({ status: 'INVALID_REQUEST', reason: 'INVALID_DATA', message: 'late' }),
          { status: 400, headers: { 'content-type': 'application/json' } },
        );
      },
    };
    const r = await admin(h)('POST', `/api/admin/payments/${paymentId}/refunds`, { amount: 4000 });
    expect(r.status).toBe(201);
    expect(r.body.refund.status).toBe('succeeded');
    const [refund] = await listRefunds(h.stub.db, paymentId);
    expect(refund?.status).toBe('succeeded');
    expect((await findPayment(h.stub.db, paymentId))?.refunded_amount).toBe(4000);
  });
});
