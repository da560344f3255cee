/**
 * The fault matrix (issue 6): every upstream call a payment flow makes × {timeout, 502, 502 that
 * was processed, connection reset, slow}, injected through the emulator's control API. Each
 * case runs the flow, waits CyberSource's 60 s on the fake clock, runs one reconciler pass and
 * then compares the stub's database with the emulator's own state:
 * - money calls: captured once and recorded (with the flow finished), or not charged (nothing
 *   processed, or voided/reversed); never charged-and-unrecorded, never two sales;
 * - sessions and TMS calls: no money moves, and the stub's saved cards match TMS.
 * Used by `matrix.test.ts` and by `bench/fault-matrix.ts`.
 */

import { z } from 'zod';
import type { PaymentTxn, RefundTxn } from '../../emulator/payments/store.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { listRefunds } from '../../server-stub/store/refunds.ts';
import { REMOVAL_HOLD_MS } from '../../server-stub/store/removal-hold.ts';
import type { PaymentRow } from '../../server-stub/store/rows.ts';
import { findSubscription } from '../../server-stub/store/subscriptions.ts';
import { admin, MASTERCARD, VISA } from '../server-stub/harness.ts';
import { armFault, type HardeningHarness, SetupShopper } from './support.ts';

export const FAULTS = ['timeout', '502', '502-processed', 'reset', 'slow'] as const;
export type Fault = (typeof FAULTS)[number];

export interface CaseResult {
  call: string;
  fault: Fault;
  outcome: string;
  consistent: boolean;
  problems: string[];
}

type Answer = { status: number; body: unknown };

interface Scenario {
  call: string;
  method: string;
  /** Money calls: the same Idempotency-Key is sent again after reconciliation. */
  replay: boolean;
  /** Runs the flow's setup (no fault yet), returns the faulted path and the step to run. */
  prepare(h: HardeningHarness): Promise<{
    path: string;
    act: (key: string) => Promise<Answer>;
    check: (h: HardeningHarness, first: Answer, replay: Answer) => Promise<Verdict>;
  }>;
}

interface Verdict {
  outcome: string;
  problems: string[];
}

const WAIT_MS = 61_000;

function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const p of path) {
    if (typeof v !== 'object' || v === null || !(p in v)) return undefined;
    v = Object.entries(v).find(([k]) => k === p)?.[1];
  }
  return v;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function emulatorPayments(h: HardeningHarness, code: string): PaymentTxn[] {
  return h.emulator.state.payments
    .all(h.stub.config.merchantId)
    .filter((t): t is PaymentTxn => t.kind === 'payment' && t.clientReference.code === code);
}

function emulatorRefunds(h: HardeningHarness, code: string): RefundTxn[] {
  return h.emulator.state.payments
    .all(h.stub.config.merchantId)
    .filter((t): t is RefundTxn => t.kind === 'refund' && t.clientReference.code === code);
}

/** The money rule for one stub payment against the emulator's record of it. */
async function checkPayment(
  h: HardeningHarness,
  row: PaymentRow | undefined,
  replay: Answer,
  salesSent: number,
  expectKept: boolean,
): Promise<Verdict> {
  const problems: string[] = [];
  if (!row) return { outcome: 'no payment row', problems: ['no payment row was written'] };
  const emu = emulatorPayments(h, row.id);
  if (salesSent !== 1) problems.push(`${salesSent} POST /pts/v2/payments sent (want exactly 1)`);
  if (emu.length > 1) problems.push(`${emu.length} sales at CyberSource`);
  const [txn] = emu;
  const charged = txn !== undefined && txn.capturedMinor > 0 && !txn.voidedBy && !txn.reversedBy;
  switch (row.status) {
    case 'succeeded': {
      if (!charged) problems.push('recorded succeeded but not charged');
      if (txn && txn.capturedMinor !== row.amount) problems.push('captured amount differs');
      if (txn && row.cybersource_id !== txn.id) problems.push('CyberSource id not recorded');
      if (row.kind === 'subscription_start') {
        const sub = row.subscription_id
          ? await findSubscription(h.stub.db, row.subscription_id)
          : undefined;
        if (!sub) problems.push('subscription not started');
      }
      if (row.kind === 'renewal') {
        const sub = row.subscription_id
          ? await findSubscription(h.stub.db, row.subscription_id)
          : undefined;
        if (sub?.current_period !== row.period) problems.push('renewal period not advanced');
      }
      if (expectKept && !row.payment_method_id) problems.push('card not kept');
      if (replay.status !== 201) problems.push(`replay answered ${replay.status}, not 201`);
      break;
    }
    case 'failed':
    case 'declined':
      if (charged) problems.push(`charged but recorded ${row.status}`);
      if (replay.status !== 402) problems.push(`replay answered ${replay.status}, not 402`);
      break;
    default:
      problems.push(`left ${row.status}`);
  }
  if (str(field(replay.body, 'payment', 'status')) !== row.status)
    problems.push('replay does not show the final status');
  const how =
    row.status === 'succeeded'
      ? 'charged once, recorded'
      : `not charged (${row.decline_reason ?? row.status})`;
  return { outcome: `${row.status}: ${how}`, problems };
}

async function storedCards(h: HardeningHarness, customerId: string): Promise<string[]> {
  const r = await h.stub.db.query('SELECT id FROM payment_methods WHERE customer_id = $1', [
    customerId,
  ]);
  return r.rows.map((row) => z.object({ id: z.string() }).parse(row).id).sort();
}

/** The customer's cards a removal holds now (migration 012). */
async function heldCards(h: HardeningHarness, customerId: string): Promise<string[]> {
  const r = await h.stub.db.query(
    'SELECT id FROM payment_methods WHERE customer_id = $1 AND removing_since > $2',
    [customerId, new Date(h.clock.ms - REMOVAL_HOLD_MS)],
  );
  return r.rows.map((row) => z.object({ id: z.string() }).parse(row).id);
}

async function salesSince(h: HardeningHarness, from: number): Promise<number> {
  return h.emulator.state.requests
    .list()
    .slice(from)
    .filter((r) => r.method === 'POST' && r.path === '/pts/v2/payments').length;
}

function paymentScenario(
  call: string,
  expectKept: boolean,
  setup: (h: HardeningHarness) => Promise<(key: string) => Promise<Answer>>,
): Scenario {
  return {
    call,
    method: 'POST',
    replay: true,
    async prepare(h) {
      const act = await setup(h);
      const from = h.emulator.state.requests.list().length;
      return {
        path: '/pts/v2/payments',
        act,
        async check(hh, first, replay) {
          const id = str(field(first.body, 'payment', 'id'));
          const row = id ? await findPayment(hh.stub.db, id) : undefined;
          return checkPayment(hh, row, replay, await salesSince(hh, from), expectKept);
        },
      };
    },
  };
}

async function newCardSetup(h: HardeningHarness, extra: Record<string, unknown>, itemId: string) {
  const s = new SetupShopper(h);
  const session = await s.session();
  const transientToken = await s.token(session.captureContext);
  const body = { sessionId: session.sessionId, transientToken, item: { id: itemId }, ...extra };
  return (key: string) =>
    s.request('POST', '/api/checkout/payments', body, { 'idempotency-key': key });
}

export const SCENARIOS: Scenario[] = [
  paymentScenario('POST /pts/v2/payments (new card)', false, (h) => newCardSetup(h, {}, 'tshirt')),
  paymentScenario('POST /pts/v2/payments (new card, kept)', true, (h) =>
    newCardSetup(h, { savePaymentMethod: true }, 'tshirt'),
  ),
  paymentScenario('POST /pts/v2/payments (saved card)', false, async (h) => {
    const s = new SetupShopper(h);
    const saved = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const body = {
      paymentMethodId: str(field(saved.body, 'paymentMethodId')),
      item: { id: 'tshirt' },
    };
    return (key) => s.request('POST', '/api/checkout/payments', body, { 'idempotency-key': key });
  }),
  paymentScenario('POST /pts/v2/payments (subscription)', true, (h) =>
    newCardSetup(h, {}, 'pro-monthly'),
  ),
  paymentScenario('POST /pts/v2/payments (renewal)', false, async (h) => {
    const started = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
    const subId = str(field(started.body, 'subscription', 'id')) ?? 'missing';
    const call = admin(h);
    return (key) =>
      call(
        'POST',
        `/api/admin/subscriptions/${subId}/renewals`,
        { period: 2 },
        { 'idempotency-key': key },
      );
  }),
  {
    call: 'POST /pts/v2/payments/{id}/refunds',
    method: 'POST',
    replay: true,
    async prepare(h) {
      const paid = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 10_000 });
      const paymentId = str(field(paid.body, 'payment', 'id')) ?? 'missing';
      const row = await findPayment(h.stub.db, paymentId);
      const call = admin(h);
      return {
        path: `/pts/v2/payments/${row?.cybersource_id ?? 'missing'}/refunds`,
        act: (key) =>
          call(
            'POST',
            `/api/admin/payments/${paymentId}/refunds`,
            { amount: 4000 },
            { 'idempotency-key': key },
          ),
        async check(hh, first, replay) {
          const problems: string[] = [];
          const refundId = str(field(first.body, 'refund', 'id'));
          const [refund] = (await listRefunds(hh.stub.db, paymentId)).filter(
            (r) => r.id === refundId,
          );
          const payment = await findPayment(hh.stub.db, paymentId);
          if (!refund || !payment) return { outcome: 'no refund row', problems: ['no refund row'] };
          const emu = emulatorRefunds(hh, refund.id);
          const live = emu.filter((r) => !r.voidedBy);
          const [emuPayment] = emulatorPayments(hh, paymentId);
          if (emu.length > 1) problems.push(`${emu.length} refunds at CyberSource`);
          if (refund.status === 'succeeded') {
            if (live.length !== 1) problems.push('recorded succeeded but no live refund');
            if (payment.refunded_amount !== 4000) problems.push('refunded amount not recorded');
            if (replay.status !== 201) problems.push(`replay answered ${replay.status}`);
          } else if (refund.status === 'failed') {
            if (live.length !== 0) problems.push('refunded but recorded failed');
            if (payment.refunded_amount !== 0) problems.push('reservation not released');
            if (replay.status !== 402) problems.push(`replay answered ${replay.status}`);
          } else problems.push(`left ${refund.status}`);
          if (emuPayment && emuPayment.refundedMinor !== payment.refunded_amount)
            problems.push('refunded amounts differ between stub and CyberSource');
          const how =
            refund.status === 'succeeded'
              ? 'refunded once, recorded'
              : `not refunded (${refund.failure_reason})`;
          return { outcome: `${refund.status}: ${how}`, problems };
        },
      };
    },
  },
  {
    call: 'POST /microform/v2/sessions',
    method: 'POST',
    replay: false,
    async prepare(h) {
      const s = new SetupShopper(h);
      const from = h.emulator.state.requests.list().length;
      return {
        path: '/microform/v2/sessions',
        act: (key) => s.request('POST', '/api/checkout/sessions', {}, { 'idempotency-key': key }),
        async check(hh, first) {
          const problems: string[] = [];
          if (first.status !== 201 && first.status < 500)
            problems.push(`answered ${first.status}, want 201 or a 5xx to retry`);
          if ((await salesSince(hh, from)) !== 0) problems.push('a payment call was made');
          const retry = await s.request('POST', '/api/checkout/sessions', {});
          if (retry.status !== 201) problems.push(`retry with a new key answered ${retry.status}`);
          return {
            outcome:
              `HTTP ${first.status} ${str(field(first.body, 'error', 'code')) ?? ''}; no money; retry 201`.trim(),
            problems,
          };
        },
      };
    },
  },
  ...(['GET', 'PATCH', 'DELETE'] as const).map(
    (method): Scenario => ({
      call: `${method} /tms/v2/customers/{id}/payment-instruments${method === 'GET' ? '' : '/{pi}'}`,
      method,
      replay: false,
      async prepare(h) {
        const s = new SetupShopper(h);
        const older = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, VISA);
        const second = await s.payNewCard(
          { id: 'tshirt' },
          { savePaymentMethod: true },
          MASTERCARD,
        );
        // The older card: no longer the default, so it can be made default again or deleted.
        const pmId = str(field(older.body, 'paymentMethodId')) ?? 'missing';
        const secondId = str(field(second.body, 'payment', 'id')) ?? 'missing';
        const customerId = emulatorPayments(h, secondId)[0]?.tms.customerId ?? 'missing';
        const from = h.emulator.state.requests.list().length;
        return {
          path: `/tms/v2/customers/${customerId}/payment-instruments`,
          act: (key) =>
            method === 'GET'
              ? s.request('GET', '/api/payment-methods')
              : method === 'PATCH'
                ? s.request(
                    'PUT',
                    `/api/payment-methods/${pmId}/default`,
                    {},
                    { 'idempotency-key': key },
                  )
                : s.request('DELETE', `/api/payment-methods/${pmId}`),
          async check(hh, first) {
            const problems: string[] = [];
            if ((await salesSince(hh, from)) !== 0) problems.push('a payment call was made');
            // The next list (no fault) must agree with TMS, whatever the faulted call did, but
            // for a card a removal holds while its delete's outcome is unknown (not listed until
            // REMOVAL_HOLD_MS has passed); after that, with TMS exactly.
            const listed = async () => {
              const list = await s.request('GET', '/api/payment-methods');
              return JSON.stringify(
                (list.body?.paymentMethods ?? []).map((m: { id: string }) => m.id).sort(),
              );
            };
            const tms = hh.emulator.state.tms
              .customerPaymentInstruments(customerId)
              .filter((pi) => pi.state === 'ACTIVE')
              .map((pi) => pi.id)
              .sort();
            const held = await heldCards(hh, customerId);
            if ((await listed()) !== JSON.stringify(tms.filter((id) => !held.includes(id))))
              problems.push('list differs from TMS');
            const stored = await storedCards(hh, customerId);
            hh.clock.advance(REMOVAL_HOLD_MS);
            if ((await listed()) !== JSON.stringify(tms))
              problems.push('list differs from TMS once the removal hold is over');
            if (JSON.stringify(stored) !== JSON.stringify(tms))
              problems.push('stored cards differ from TMS');
            return {
              outcome: `HTTP ${first.status}; ${tms.length} card(s), stub in sync with TMS`,
              problems,
            };
          },
        };
      },
    }),
  ),
];

function faultSpec(fault: Fault): { fault: string; processed?: boolean } {
  return fault === '502-processed' ? { fault: '502', processed: true } : { fault };
}

let keys = 0;

/** Runs one case end to end: setup, fault, the call, 61 s, one reconcile pass, the check. */
export async function runCase(
  h: HardeningHarness,
  scenario: Scenario,
  fault: Fault,
): Promise<CaseResult> {
  const prepared = await scenario.prepare(h);
  await armFault(h, { method: scenario.method, path: prepared.path, ...faultSpec(fault) });
  const key = `matrix-${process.pid}-${++keys}`;
  const first = await prepared.act(key);
  h.clock.advance(WAIT_MS);
  await h.stub.reconciler.runOnce();
  // Faults fire once; anything still armed (the call was never made) must not leak into the next case.
  h.emulator.state.faults.clear();
  const replay = scenario.replay ? await prepared.act(key) : first;
  const verdict = await prepared.check(h, first, replay);
  return {
    call: scenario.call,
    fault,
    outcome: verdict.outcome,
    consistent: verdict.problems.length === 0,
    problems: verdict.problems,
  };
}
