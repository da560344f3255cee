/**
 * The refund reconciler reads a found refund's status where Transaction Details puts it
 * (top level or `applicationInformation.status`), takes `PENDING`, `TRANSMITTED` and `SETTLED` as
 * accepted, and gives the reserved amount back only on an explicit "did not happen" status: an
 * unfamiliar or missing one stays unknown for the next pass.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import { admin } from '../server-stub/harness.ts';
import {
  editTransactionDetails,
  type HardeningHarness,
  hardeningHarness,
  unknownRefund as unknownRefundOf,
} from './support.ts';

/**
 * What the stub's Transaction Details answers lose: nothing, the top-level status, both statuses
 * (the applications' reply codes remain), or every status and reply code.
 */
let strip: 'none' | 'top' | 'both' | 'all' = 'none';
/** The status they show instead of the emulator's (a refund moves on as it settles). */
let shown: string | undefined;

const stripStatus = (f: typeof fetch) =>
  editTransactionDetails(f, (body) => {
    if (shown) body.status = shown;
    if (strip === 'none') return;
    delete body.status;
    if (strip !== 'top' && body.applicationInformation) delete body.applicationInformation.status;
    if (strip === 'all' && body.applicationInformation)
      delete body.applicationInformation.applications;
  });

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({ wrapFetch: stripStatus });
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.state.faults.clear();
  strip = 'none';
  shown = undefined;
});

const unknownRefund = () => unknownRefundOf(h);

const state = async (paymentId: string) => {
  const [refund] = await listRefunds(h.stub.db, paymentId);
  return {
    refund: refund?.status,
    reserved: (await findPayment(h.stub.db, paymentId))?.refunded_amount,
  };
};

describe('refund reconciler status', () => {
  it('records a refund whose status is only under applicationInformation as accepted', async () => {
    const paymentId = await unknownRefund();
    strip = 'top';
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await state(paymentId)).toEqual({ refund: 'succeeded', reserved: 4000 });
  });

  it.each(['TRANSMITTED', 'SETTLED'])(
    'records a refund found %s (sent to the processor, or settled) as accepted',
    async (status) => {
      const paymentId = await unknownRefund();
      shown = status;
      h.clock.advance(61_000);
      await h.stub.reconciler.runOnce();
      expect(await state(paymentId)).toEqual({ refund: 'succeeded', reserved: 4000 });
    },
  );

  it('keeps a refund found without a status unknown, though its reply code says accepted', async () => {
    // A credit's own code stays 1 after a timeout void undid it: never read as refunded.
    const paymentId = await unknownRefund();
    strip = 'both';
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await state(paymentId)).toEqual({ refund: 'unknown', reserved: 4000 });
  });

  it('keeps a refund found without any status or reply code unknown, and the amount reserved', async () => {
    const paymentId = await unknownRefund();
    strip = 'all';
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await state(paymentId)).toEqual({ refund: 'unknown', reserved: 4000 });
    strip = 'none';
    // Looked at and left unknown: it waits RECONCILE_AFTER_SECONDS again.
    await h.stub.reconciler.runOnce();
    expect(await state(paymentId)).toEqual({ refund: 'unknown', reserved: 4000 });
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await state(paymentId)).toEqual({ refund: 'succeeded', reserved: 4000 });
  });
});

describe("the merchant's payment list", () => {
  it('says how much of the refunded amount is still being confirmed, until the reconciler settles it', async () => {
    const paymentId = await unknownRefund();
    const listed = async () =>
      (await admin(h)('GET', '/api/admin/payments')).body.payments.find(
        (p: { id: string }) => p.id === paymentId,
      );
    // Reserved against the payment, but not returned to the shopper yet.
    expect(await listed()).toMatchObject({ refundedAmount: 4000, unresolvedRefundAmount: 4000 });
    // The payment's own page says the same, and when the refund was asked for.
    const detail = (await admin(h)('GET', `/api/admin/payments/${paymentId}`)).body;
    expect(detail.payment).toMatchObject({ refundedAmount: 4000, unresolvedRefundAmount: 4000 });
    expect(detail.refunds).toEqual([
      expect.objectContaining({
        status: 'unknown',
        amount: 4000,
        failureReason: null,
        createdAt: new Date(h.clock.ms).toISOString(),
      }),
    ]);
    h.clock.advance(200_000);
    await h.stub.reconciler.runOnce();
    expect(await state(paymentId)).toEqual({ refund: 'succeeded', reserved: 4000 });
    expect(await listed()).toMatchObject({ refundedAmount: 4000, unresolvedRefundAmount: 0 });
  });
});
