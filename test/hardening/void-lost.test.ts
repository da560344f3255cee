/**
 * Two lost answers in a row: a payment (or refund) whose answer was lost, looked up in vain, is
 * undone by a timeout void whose answer is lost too. On the next pass the search finds the sale
 * and the void. Whether CyberSource then shows the sale as `VOIDED` or keeps its own status and
 * only links the void (API-FACTS §8, open question 5) must not matter: the void went through, so
 * nothing was charged. These tests show the sale's own status, as the second reading would.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import {
  armFault,
  editTransactionDetails,
  type HardeningHarness,
  hardeningHarness,
  SetupShopper,
  unknownRefund,
} from './support.ts';

/**
 * Show a voided sale or refund with its own status; make the void record a failed one; list
 * search hits without their services (a summary then says nothing about what each hit is).
 */
let keepOwnStatus = false;
let voidFailed = false;
let bareSummaries = false;

/** The search's summaries, less their `applicationInformation` when `bareSummaries`. */
const searches =
  (f: typeof fetch): typeof fetch =>
  async (input, init) => {
    const res = await f(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!bareSummaries || new URL(url).pathname !== '/tss/v2/searches') return res;
    const body = await res.json();
    for (const t of body._embedded?.transactionSummaries ?? []) delete t.applicationInformation;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: res.status, headers });
  };

const names = (body: Record<string, any>): string[] =>
  (body.applicationInformation?.applications ?? []).map((a: { name: string }) => a.name);

const rewrite = (f: typeof fetch) =>
  editTransactionDetails(f, (body) => {
    const info = body.applicationInformation;
    if (!info) return;
    if (names(body).includes('ics_void')) {
      if (!voidFailed) return;
      info.status = 'FAILED';
      for (const a of info.applications) a.rCode = '0';
    } else if (keepOwnStatus && info.status === 'VOIDED') {
      info.status = 'PENDING';
    }
  });

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({ wrapFetch: (f) => searches(rewrite(f)) });
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.state.faults.clear();
  keepOwnStatus = false;
  voidFailed = false;
  bareSummaries = false;
});

/** One pass in which the search fails and the timeout void is processed but its answer lost. */
async function voidWithLostAnswer() {
  h.clock.advance(61_000);
  await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502' });
  await armFault(h, { method: 'POST', path: '/pts/v2/voids', fault: '502', processed: true });
  await h.stub.reconciler.runOnce();
}

async function unknownPayment() {
  // 2000.00: the emulator records the sale and answers 502.
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 200_000 });
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  return String(r.body.payment.id);
}

it.each([
  ['', false],
  [', its search summary naming no services', true],
])(
  'records a sale whose timeout void went through as failed, though the sale still shows its own status%s',
  async (_, bare) => {
    const id = await unknownPayment();
    await voidWithLostAnswer();
    expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
    keepOwnStatus = true;
    bareSummaries = bare;
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await findPayment(h.stub.db, id)).toMatchObject({
      status: 'failed',
      decline_reason: 'VOIDED',
    });
  },
);

it('reads a sale as charged when the void of it that the search lists did not go through', async () => {
  const id = await unknownPayment();
  // The emulator's void succeeds; the stub is shown a failed one and the sale as still standing.
  await voidWithLostAnswer();
  keepOwnStatus = true;
  voidFailed = true;
  h.clock.advance(61_000);
  await h.stub.reconciler.runOnce();
  expect((await findPayment(h.stub.db, id))?.status).toBe('succeeded');
});

it('gives a refund whose timeout void went through back to the payment, though the refund still shows its own status', async () => {
  const paymentId = await unknownRefund(h);
  await voidWithLostAnswer();
  expect((await listRefunds(h.stub.db, paymentId))[0]?.status).toBe('unknown');
  keepOwnStatus = true;
  h.clock.advance(61_000);
  await h.stub.reconciler.runOnce();
  expect((await listRefunds(h.stub.db, paymentId))[0]?.status).toBe('failed');
  expect((await findPayment(h.stub.db, paymentId))?.refunded_amount).toBe(0);
});
