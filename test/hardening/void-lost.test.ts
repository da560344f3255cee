/**
 * Two lost answers in a row: a payment (or refund) whose answer was lost, looked up in vain, is
 * undone by a timeout void whose answer is lost too. On the next pass the search finds the sale
 * and the void. Whether CyberSource then shows the sale as `VOIDED` or keeps its own status and
 * only links the void (API-FACTS §8, open question 5) must not matter: the void went through, so
 * nothing was charged. These tests show the sale's own status, as the second reading would, and
 * the void's record as Transaction Details shows one: our code, no `transactionId`.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import {
  armFault,
  editAnswers,
  type HardeningHarness,
  hardeningHarness,
  SetupShopper,
  unknownRefund,
} from './support.ts';

/** Show a voided sale or refund with its own status, as the second reading would. */
let keepOwnStatus = false;
/** List search hits without their services (a summary then says nothing of what a hit is). */
let bareSummaries = false;
/**
 * What the void's record shows: as the emulator wrote it (the code, no `transactionId`, as
 * Transaction Details records are); a failed void; one that echoes another transaction's id, or
 * ours; its success only in the record's own reply code (the service's `rCode` and the status
 * left out); or no details yet (404).
 */
let voidShape:
  | 'as-is'
  | 'failed'
  | 'other-transaction'
  | 'names-ours'
  | 'record-code-only'
  | 'unnamed-entry'
  | 'not-ready' = 'as-is';
/** The payment's own transactionId, for a void record that echoes it, and its code. */
let ourTransactionId = '';
let ourCode = '';
/**
 * List a refund made in the Business Center under the sale's code beside the sale and the void:
 * made before the void (which may then be that refund's), after it, failed, or one whose summary
 * names no service and whose details are not there yet (404).
 */
let creditListed: false | 'before' | 'after' | 'failed' | 'hidden' = false;
const CREDIT_ID = '7000000000000000000001';

const names = (body: Record<string, any>): string[] =>
  (body.applicationInformation?.applications ?? []).map((a: { name: string }) => a.name);

/** The stub's view of CyberSource's search and Transaction Details, reshaped as above. */
const reshape = (f: typeof fetch) =>
  editAnswers(f, (path, body) => {
    if (path === '/tss/v2/searches') {
      const summaries = body._embedded?.transactionSummaries ?? [];
      if (creditListed && summaries[0])
        summaries.push({
          ...structuredClone(summaries[0]),
          id: CREDIT_ID,
          applicationInformation:
            creditListed === 'hidden' ? undefined : { applications: [{ name: 'ics_credit' }] },
        });
      if (bareSummaries) for (const t of summaries) delete t.applicationInformation;
      return undefined;
    }
    if (!path.startsWith('/tss/v2/transactions/')) return undefined;
    if (path.endsWith(CREDIT_ID)) {
      if (creditListed === 'hidden')
        return Response.json({ message: 'The requested resource does not exist' }, { status: 404 });
      const rCode = creditListed === 'failed' ? '0' : '1';
      return Response.json({
        id: CREDIT_ID,
        // Long before anything the test makes, or long after.
        submitTimeUTC: creditListed === 'after' ? '2999-01-01T00:00:00Z' : '2000-01-01T00:00:00Z',
        clientReferenceInformation: { code: ourCode },
        applicationInformation: { rCode, applications: [{ name: 'ics_credit', rCode }] },
      });
    }
    const info = body.applicationInformation;
    if (!names(body).includes('ics_void')) {
      if (keepOwnStatus && info?.status === 'VOIDED') info.status = 'PENDING';
      return undefined;
    }
    if (voidShape === 'not-ready')
      return Response.json({ message: 'The requested resource does not exist' }, { status: 404 });
    if (voidShape === 'failed') {
      info.status = 'FAILED';
      for (const a of info.applications) a.rCode = '0';
    }
    if (voidShape === 'other-transaction') body.clientReferenceInformation.transactionId = 'tx-x';
    if (voidShape === 'names-ours')
      body.clientReferenceInformation.transactionId = ourTransactionId;
    // One more service listed without its name (optional in the NODE models).
    if (voidShape === 'unnamed-entry') info.applications.push({ reasonCode: '100', rCode: '1' });
    if (voidShape === 'record-code-only') {
      delete info.status;
      for (const a of info.applications) delete a.rCode;
    }
    return undefined;
  });

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({ wrapFetch: reshape });
});
afterAll(() => h.close());
beforeEach(() => {
  h.emulator.state.faults.clear();
  keepOwnStatus = false;
  bareSummaries = false;
  voidShape = 'as-is';
  creditListed = false;
});

/** One pass in which the search fails and the timeout void is processed but its answer lost. */
async function voidWithLostAnswer() {
  h.clock.advance(61_000);
  await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502' });
  await armFault(h, { method: 'POST', path: '/pts/v2/voids', fault: '502', processed: true });
  await h.stub.reconciler.runOnce();
}

/** The pass after it, CyberSource's answers shown as given; the voided sale keeps its own status. */
async function nextPass(
  view: { shape?: typeof voidShape; bare?: boolean; credit?: typeof creditListed } = {},
) {
  keepOwnStatus = true;
  voidShape = view.shape ?? 'as-is';
  bareSummaries = view.bare ?? false;
  creditListed = view.credit ?? false;
  h.clock.advance(61_000);
  await h.stub.reconciler.runOnce();
}

/** 2000.00 (the default): the emulator records the sale and answers 502. */
async function unknownPayment(amount = 200_000) {
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount });
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  const id = String(r.body.payment.id);
  const row = await findPayment(h.stub.db, id);
  ourTransactionId = row?.transaction_id ?? '';
  ourCode = row?.reference_code ?? '';
  return id;
}

it.each([
  ['', false],
  [', its search summary naming no services', true],
] as const)(
  'records a sale whose timeout void went through as failed, though the sale still shows its own status%s',
  async (_, bare) => {
    const id = await unknownPayment();
    await voidWithLostAnswer();
    expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
    await nextPass({ bare });
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
  await nextPass({ shape: 'failed' });
  expect((await findPayment(h.stub.db, id))?.status).toBe('succeeded');
});

it('gives a refund whose timeout void went through back to the payment, though the refund still shows its own status', async () => {
  const paymentId = await unknownRefund(h);
  await voidWithLostAnswer();
  expect((await listRefunds(h.stub.db, paymentId))[0]?.status).toBe('unknown');
  await nextPass();
  expect((await listRefunds(h.stub.db, paymentId))[0]?.status).toBe('failed');
  expect((await findPayment(h.stub.db, paymentId))?.refunded_amount).toBe(0);
});

it.each([
  ['records its success only in its own reply code', 'record-code-only', false, 'failed'],
  ['lists one of its services without a name', 'unnamed-entry', false, 'failed'],
  ['names another transaction with the same code', 'other-transaction', false, 'succeeded'],
  // A refund made in the Business Center keeps the sale's code: the void may be that refund's,
  // so nothing is decided (a person is told); not a refund made after it, or one that failed.
  ['may void a refund made before it under the same code', 'as-is', 'before', 'unknown'],
  ['came before the only refund under the same code', 'as-is', 'after', 'failed'],
  ['is listed with a failed refund under the same code', 'as-is', 'failed', 'failed'],
  ['names our transactionId, a refund listed too', 'names-ours', 'before', 'failed'],
] as const)(
  'reads a void listed beside the sale that %s as such',
  async (_, shape, credit, status) => {
    const id = await unknownPayment();
    await voidWithLostAnswer();
    await nextPass({ shape, credit });
    expect((await findPayment(h.stub.db, id))?.status).toBe(status);
    if (status === 'unknown') {
      expect(h.logs.text).toContain('left for a person to resolve');
      // The person settles it, so the next test's passes see only their own payment.
      await h.stub.db.query(`UPDATE payments SET status = 'failed' WHERE id = $1`, [id]);
    }
  },
);

it('reads a reversal listed beside the sale as undoing it, though a refund made before it shares the code', async () => {
  // 2200.00, its answer lost: a soft decline (AVS), authorized and never captured. The search
  // fails, the void is refused NOT_VOIDABLE, and the timeout reversal goes through unanswered.
  await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: '502', processed: true });
  const id = await unknownPayment(220_000);
  h.clock.advance(61_000);
  await armFault(h, { method: 'POST', path: '/tss/v2/searches', fault: '502' });
  await armFault(h, { method: 'POST', path: '/pts/v2/reversals', fault: '502', processed: true });
  await h.stub.reconciler.runOnce();
  expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
  // A refund is never reversed: the reversal is the sale's, whatever else the code lists.
  await nextPass({ credit: 'before' });
  expect(await findPayment(h.stub.db, id)).toMatchObject({ status: 'failed' });
});

it("waits for a listed void's details before reading the sale, rather than call it charged", async () => {
  const id = await unknownPayment();
  await voidWithLostAnswer();
  await nextPass({ shape: 'not-ready' });
  expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
  await nextPass();
  expect(await findPayment(h.stub.db, id)).toMatchObject({
    status: 'failed',
    decline_reason: 'VOIDED',
  });
});

it('waits, within the details lag, for a listed record that may be a refund before reading a void as undoing the sale', async () => {
  const id = await unknownPayment();
  await voidWithLostAnswer();
  await nextPass({ credit: 'hidden' });
  expect((await findPayment(h.stub.db, id))?.status).toBe('unknown');
  // Past the lag (30 minutes from the payment) the unreadable record is passed over.
  h.clock.advance(30 * 60_000);
  await nextPass({ credit: 'hidden' });
  expect(await findPayment(h.stub.db, id)).toMatchObject({
    status: 'failed',
    decline_reason: 'VOIDED',
  });
});
