/**
 * A sale found by the reconciler may show its capture's state instead of `AUTHORIZED`:
 * `PENDING` until settlement, `TRANSMITTED` for online-capture merchants (API-FACTS §2.5). Both
 * mean charged; the payment must be recorded as succeeded, not left unknown or voided. And a
 * hit is ours only if it echoes our reference code. A renewal found refused (3-D Secure it cannot
 * complete, or a request CyberSource rejects as invalid) is a failed attempt of its period
 * (server-stub/README.md "Renewal retries"): never left `active`, nor unknown for good.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { admin } from '../server-stub/harness.ts';
import {
  editTransactionDetails,
  type HardeningHarness,
  hardeningHarness,
  SetupShopper,
} from './support.ts';

/** The status Transaction Details shows for the sale, in both places it may be. */
let shown: string | undefined;
/** The reference code it echoes instead of ours. */
let otherCode: string | undefined;

const showStatus = (f: typeof fetch) =>
  editTransactionDetails(f, (body) => {
    if (shown) body.status = shown;
    if (shown && body.applicationInformation) body.applicationInformation.status = shown;
    if (otherCode) body.clientReferenceInformation.code = otherCode;
  });

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({ wrapFetch: showStatus });
});
afterAll(() => h.close());

it.each(['PENDING', 'TRANSMITTED'])('records a sale found as %s as succeeded', async (status) => {
  // 2000.00: the emulator records the sale but answers 502.
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 200_000 });
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  shown = status;
  h.clock.advance(61_000);
  await h.stub.reconciler.runOnce();
  shown = undefined;
  const row = await findPayment(h.stub.db, String(r.body.payment.id));
  expect(row?.status).toBe('succeeded');
  const voids = h.emulator.state.requests.list().filter((q) => q.path === '/pts/v2/voids');
  expect(voids).toEqual([]);
});

it('never takes a search hit that echoes another reference code for ours', async () => {
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 200_000 });
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  otherCode = 'pay_someone-else';
  h.clock.advance(61_000);
  await h.stub.reconciler.runOnce();
  otherCode = undefined;
  // Not found as ours: the timeout void by our transactionId undoes whatever was charged.
  const row = await findPayment(h.stub.db, String(r.body.payment.id));
  expect(row).toMatchObject({ status: 'failed', decline_reason: 'TIMEOUT_VOIDED' });
});

it.each([
  ['PENDING_AUTHENTICATION', 'declined'],
  ['INVALID_REQUEST', 'failed'],
])(
  'counts a renewal found as %s after a lost answer as an attempt (%s): past_due, tried again',
  async (status, recorded) => {
    const r = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
    const id = r.body.subscription.id;
    // 2000.00: the renewal is recorded but answered 502.
    await h.stub.db.query('UPDATE subscriptions SET amount = 200000 WHERE id = $1', [id]);
    h.clock.advance(31 * 86_400_000);
    expect((await renewDue(h.stub)).held).toContain(id);
    shown = status;
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    shown = undefined;
    const renewal = await h.stub.db.query(
      `SELECT status FROM payments WHERE subscription_id = $1 AND kind = 'renewal'`,
      [id],
    );
    expect(renewal.rows).toEqual([{ status: recorded }]);
    const view = await admin(h)('GET', `/api/admin/subscriptions/${id}`);
    expect(view.body.subscription).toMatchObject({
      status: 'past_due',
      renewal: { attempts: 1, nextAttemptAt: expect.any(String), lastFailureReason: status },
    });
  },
);
