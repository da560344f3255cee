/**
 * A sale CyberSource answers AUTHORIZED_RISK_DECLINED (the emulator's 2202.00 trigger: the issuer
 * approved, Decision Manager rejected, nothing captured) is a decline to the shopper, and the
 * reconciler then reverses its authorization so the amount does not stay on hold on the
 * shopper's card (server-stub/reconcile/release-hold.ts): at once, again after a lost answer,
 * never twice once it went through, and not for ever when CyberSource refuses it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_RELEASE_ATTEMPTS } from '../../server-stub/reconcile/release-hold.ts';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { admin } from '../server-stub/harness.ts';
import {
  armFault,
  type HardeningHarness,
  hardeningHarness,
  lastPaymentId,
  SetupShopper,
  upstreamPayment,
} from './support.ts';

const DAY = 86_400_000;
const RISK_DECLINED = 220_200; // 2202.00

let h: HardeningHarness;
/** The bodies of the reversals the stub sent, in order. */
let reversals: Record<string, any>[];
/** CyberSource's answer to the next reversal, in place of the emulator's. */
let nextReversalAnswer: Response | undefined;
beforeEach(async () => {
  reversals = [];
  nextReversalAnswer = undefined;
  h = await hardeningHarness({
    wrapFetch: (f) => async (input, init) => {
      if (/\/pts\/v2\/payments\/\d+\/reversals$/.test(new URL(String(input)).pathname)) {
        reversals.push(JSON.parse(String(init?.body)));
        const answer = nextReversalAnswer;
        nextReversalAnswer = undefined;
        if (answer) return answer;
      }
      return f(input, init);
    },
  });
});
afterEach(() => h.close());

/** CyberSource refuses the next reversal with a 400 of this reason. */
function refuseNextReversal(reason: string) {
  nextReversalAnswer = new Response(JSON.stringify({ status: 'INVALID_REQUEST', reason }), {
    status: 400,
    headers: { 'content-type': 'application/json' },
  });
}

async function riskDeclinedPayment(): Promise<string> {
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: RISK_DECLINED });
  expect(r.status).toBe(402);
  expect(r.body.error).toMatchObject({ code: 'card_declined', reason: 'DECISION_PROFILE_REJECT' });
  return lastPaymentId(h);
}

const reversalsAtEmulator = () =>
  h.emulator.state.payments.all('testrest').filter((t) => t.kind === 'reversal');

describe('a risk-declined sale', () => {
  it('is declined to the shopper at once, and the next pass reverses its authorization', async () => {
    const paymentId = await riskDeclinedPayment();
    // The shopper's answer did not wait for the reversal: the issuer still holds the amount.
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      status: 'declined',
      decline_reason: 'DECISION_PROFILE_REJECT',
      auth_hold: 'held',
    });
    expect((await upstreamPayment(h, paymentId)).reversedBy).toBeUndefined();

    const report = await h.stub.reconciler.runOnce();
    expect(report.holds).toEqual({ released: 1, failed: 0, retrying: 0 });
    expect((await upstreamPayment(h, paymentId)).reversedBy).toBeDefined();
    expect(reversals).toEqual([
      {
        clientReferenceInformation: { code: paymentId },
        reversalInformation: {
          reason: '34',
          amountDetails: { totalAmount: '2202.00', currency: 'USD' },
        },
      },
    ]);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      status: 'declined',
      auth_hold: 'released',
      hold_attempts: 1,
    });
    const panel = await admin(h)('GET', `/api/admin/payments/${paymentId}`);
    expect(panel.body.payment).toMatchObject({
      status: 'declined',
      authorizationHold: 'released',
    });

    // Released: no pass asks again.
    expect((await h.stub.reconciler.runOnce()).holds).toEqual({
      released: 0,
      failed: 0,
      retrying: 0,
    });
    expect(reversals).toHaveLength(1);
  });

  it('after a lost reversal answer tries again later, and a reversal that went through is not sent twice', async () => {
    const paymentId = await riskDeclinedPayment();
    await armFault(h, { method: 'POST', path: '/pts/v2/payments/', fault: 'timeout' });
    expect((await h.stub.reconciler.runOnce()).holds.retrying).toBe(1);
    const row = await findPayment(h.stub.db, paymentId);
    expect(row).toMatchObject({ auth_hold: 'held', hold_attempts: 1 });
    expect(row?.hold_next_at?.getTime()).toBe(h.clock.ms + 60_000);
    // Not before the retry is due.
    await h.stub.reconciler.runOnce();
    expect(reversals).toHaveLength(1);

    h.clock.advance(60_000);
    // The lost one went through: CyberSource refuses the second as AUTH_ALREADY_REVERSED.
    expect((await h.stub.reconciler.runOnce()).holds.released).toBe(1);
    expect(reversals).toHaveLength(2);
    expect(reversalsAtEmulator()).toHaveLength(1);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({ auth_hold: 'released' });
  });

  it('gives up after MAX_RELEASE_ATTEMPTS tries without an answer, backing off between them', async () => {
    const paymentId = await riskDeclinedPayment();
    await armFault(h, {
      method: 'POST',
      path: '/pts/v2/payments/',
      fault: '502',
      processed: false,
      times: MAX_RELEASE_ATTEMPTS,
    });
    const waits: number[] = [];
    for (let i = 0; i < MAX_RELEASE_ATTEMPTS; i++) {
      const next = (await findPayment(h.stub.db, paymentId))?.hold_next_at?.getTime() ?? 0;
      waits.push(next - h.clock.ms);
      h.clock.ms = Math.max(h.clock.ms, next);
      await h.stub.reconciler.runOnce();
    }
    expect(waits.slice(1)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000]);
    expect(reversals).toHaveLength(MAX_RELEASE_ATTEMPTS);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      auth_hold: 'release_failed',
      hold_attempts: MAX_RELEASE_ATTEMPTS,
    });
    expect(h.logs.text).toContain('authorization hold still not reversed; giving up');
  });

  it('records a reversal CyberSource refuses as release_failed and does not ask again', async () => {
    const paymentId = await riskDeclinedPayment();
    // An amount that is not the authorized one: refused INVALID_DATA (API-FACTS §2.6).
    await h.stub.db.query('UPDATE payments SET amount = 100 WHERE id = $1', [paymentId]);
    expect((await h.stub.reconciler.runOnce()).holds.failed).toBe(1);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      auth_hold: 'release_failed',
    });
    h.clock.advance(DAY);
    await h.stub.reconciler.runOnce();
    expect(reversals).toHaveLength(1);
  });

  it.each(['AUTH_ALREADY_REVERSED', 'TRANSACTION_ALREADY_REVERSED_OR_SETTLED'])(
    'reads a reversal refused %s as released: nothing is held any more',
    async (reason) => {
      const paymentId = await riskDeclinedPayment();
      refuseNextReversal(reason);
      expect((await h.stub.reconciler.runOnce()).holds.released).toBe(1);
      expect(await findPayment(h.stub.db, paymentId)).toMatchObject({ auth_hold: 'released' });
    },
  );

  it('asks again later when the processor was unavailable (400 PROCESSOR_UNAVAILABLE)', async () => {
    const paymentId = await riskDeclinedPayment();
    refuseNextReversal('PROCESSOR_UNAVAILABLE');
    expect((await h.stub.reconciler.runOnce()).holds.retrying).toBe(1);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({ auth_hold: 'held' });
    h.clock.advance(60_000);
    expect((await h.stub.reconciler.runOnce()).holds.released).toBe(1);
    expect((await upstreamPayment(h, paymentId)).reversedBy).toBeDefined();
  });

  it('found by the reconciler after a lost answer is declined and released in the same pass', async () => {
    await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: 'timeout' });
    const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: RISK_DECLINED });
    expect(r.body.error?.code).toBe('payment_outcome_unknown');
    const paymentId = await lastPaymentId(h);
    h.clock.advance(61_000);
    const report = await h.stub.reconciler.runOnce();
    expect(report.payments.declined).toBe(1);
    expect(report.holds.released).toBe(1);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      status: 'declined',
      decline_reason: 'DECISION_PROFILE_REJECT',
      auth_hold: 'released',
    });
    expect((await upstreamPayment(h, paymentId)).reversedBy).toBeDefined();
  });

  it('as a renewal, ends the subscription unpaid (no retry) and releases the hold', async () => {
    const started = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
    const id: string = started.body.subscription.id;
    await h.stub.db.query('UPDATE subscriptions SET amount = $2 WHERE id = $1', [
      id,
      RISK_DECLINED,
    ]);
    h.clock.advance(31 * DAY);
    expect((await renewDue(h.stub)).declined).toEqual([id]);
    const sub = (await admin(h)('GET', `/api/admin/subscriptions/${id}`)).body.subscription;
    expect(sub).toMatchObject({ status: 'unpaid' });
    expect((await h.stub.reconciler.runOnce()).holds.released).toBe(1);
    expect(reversalsAtEmulator()).toHaveLength(1);
  });
});
