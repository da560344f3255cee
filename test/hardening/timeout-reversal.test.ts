/**
 * The reconciler's last resort for a sale it cannot find (RELIABILITY-FACTS §3.6): a timeout
 * void, and when CyberSource answers NOT_VOIDABLE (an authorization held for review is never
 * captured) a timeout reversal of the authorized amount, by our transactionId. A refund is never
 * reversed: one the void cannot undo any more (settled) waits for a lookup.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import {
  armFault,
  type HardeningHarness,
  hardeningHarness,
  SetupShopper,
  unknownRefund,
} from './support.ts';

const reversals: unknown[] = [];
let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({
    wrapFetch: (f) => async (input, init) => {
      if (String(input).endsWith('/pts/v2/reversals'))
        reversals.push(JSON.parse(String(init?.body)));
      return f(input, init);
    },
  });
});
afterAll(() => h.close());

it('reverses a sale held for review whose answer was lost and that no search found, sending the amount and no reason', async () => {
  // 2200.00: a soft decline (AVS; authorized, not captured); the answer is lost.
  await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: '502', processed: true });
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 220_000 });
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  h.clock.advance(61_000);
  await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502' });
  await h.stub.reconciler.runOnce();
  const row = await findPayment(h.stub.db, String(r.body.payment.id));
  expect(row).toMatchObject({ status: 'failed', decline_reason: 'TIMEOUT_REVERSED' });
  // `reason`'s one documented value is 34, suspected fraud: not sent for a timeout.
  expect(reversals).toEqual([
    {
      clientReferenceInformation: { code: row?.reference_code, transactionId: row?.transaction_id },
      reversalInformation: { amountDetails: { totalAmount: '2200.00', currency: 'USD' } },
    },
  ]);
});

it('never reverses a refund the void refuses NOT_VOIDABLE: it stays unknown for a later lookup', async () => {
  const paymentId = await unknownRefund(h);
  const before = reversals.length;
  // Past the 00:00 UTC batch: the refund has settled, and the emulator refuses its void.
  h.clock.advance(15 * 3_600_000);
  await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502' });
  const from = h.emulator.state.requests.list().length;
  await h.stub.reconciler.runOnce();
  const calls = h.emulator.state.requests
    .list()
    .slice(from)
    .map((q) => `${q.method} ${q.path}`);
  expect(calls).toContain('POST /pts/v2/voids');
  expect(reversals).toHaveLength(before);
  const [refund] = await listRefunds(h.stub.db, paymentId);
  expect(refund?.status).toBe('unknown');
});
