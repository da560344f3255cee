/**
 * Soft declines (server-stub/checkout/decline-kinds.ts): CyberSource answers
 * AUTHORIZED_PENDING_REVIEW when its own AVS or CVN check fails on an authorization the issuer
 * approved. Nobody reviews those: the shopper is told the card was declined and why (a security
 * code that did not match can be typed again at once), a guessed code counts against the decline
 * caps, and the authorization is reversed so the amount is not held on the card.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { MASTERCARD, VISA } from '../server-stub/harness.ts';
import {
  armFault,
  editTransactionDetails,
  type HardeningHarness,
  hardeningHarness,
  lastPaymentId,
  SetupShopper,
  upstreamPayment,
} from './support.ts';

const HOUR = 3_600_000;
const CVN_FAILS = { ...VISA, securityCode: '002' }; // the emulator's (and Visa simulator's) trigger
const AVS_FAILS = 220_000; // 2200.00

let h: HardeningHarness;
/** Transaction Details as a record may show a soft decline: its reason code, no reason, no status. */
let codeOnly = false;
beforeEach(async () => {
  codeOnly = false;
  h = await hardeningHarness({
    wrapFetch: (f) =>
      editTransactionDetails(f, (body) => {
        if (!codeOnly) return;
        delete body.status;
        delete body.errorInformation;
        delete body.applicationInformation.status;
        body.applicationInformation.reasonCode = 230;
      }),
  });
});
afterEach(() => h.close());

describe('a soft decline', () => {
  it('is a declined card naming the security code, and its authorization is reversed', async () => {
    const shopper = new SetupShopper(h);
    const r = await shopper.payNewCard({ id: 'tshirt' }, {}, CVN_FAILS);
    expect([r.status, r.body.error.code, r.body.error.reason]).toEqual([
      402,
      'card_declined',
      'CV_FAILED',
    ]);
    const paymentId = await lastPaymentId(h);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      status: 'declined',
      decline_reason: 'CV_FAILED',
      auth_hold: 'held',
    });
    expect((await h.stub.reconciler.runOnce()).holds).toEqual({
      released: 1,
      failed: 0,
      retrying: 0,
    });
    expect((await upstreamPayment(h, paymentId)).reversedBy).toBeDefined();

    // The shopper types the right code and pays: nothing is held against the item.
    const paid = await shopper.payNewCard({ id: 'tshirt' });
    expect(paid.status).toBe(201);
  });

  it('is a declined card after a failed address check (AVS), with its hold released', async () => {
    const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: AVS_FAILS });
    expect([r.status, r.body.error.reason]).toEqual([402, 'AVS_FAILED']);
    const paymentId = await lastPaymentId(h);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({ auth_hold: 'held' });
    await h.stub.reconciler.runOnce();
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({ auth_hold: 'released' });
  });

  it('counts against the decline caps: a security code cannot be guessed without end', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const r = await new SetupShopper(h).payNewCard({ id: 'tshirt' }, {}, CVN_FAILS);
      codes.push(r.body.error.code);
    }
    expect(codes).toContain('too_many_declines');
    expect(codes.indexOf('too_many_declines')).toBeGreaterThan(0);
  });

  it('keeps no card from a declined sale that asked to keep it (it would pay without a security code)', async () => {
    const shopper = new SetupShopper(h);
    const saved = await shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    expect(saved.status).toBe(201);
    const declined = await shopper.payNewCard(
      { id: 'donation', amount: 1500 },
      { savePaymentMethod: true },
      { ...MASTERCARD, securityCode: '002' },
    );
    expect([declined.status, declined.body.error.reason]).toEqual([402, 'CV_FAILED']);
    const listed = await shopper.request('GET', '/api/payment-methods');
    expect(listed.body.paymentMethods.map((m: { last4: string }) => m.last4)).toEqual(['1111']);
    // The card the shopper keeps is the default again (the declined one had taken its place).
    expect(listed.body.paymentMethods[0].default).toBe(true);
    // Gone from TMS too: the customer holds the Visa alone.
    const tms = h.emulator.state.tms;
    const active = [...tms.customers.values()].flatMap((c) =>
      tms.customerPaymentInstruments(c.id).filter((pi) => pi.state === 'ACTIVE'),
    );
    expect(active).toHaveLength(1);
  });

  it('found after a lost answer by its reason code alone (230), is declined and its hold released', async () => {
    await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: '502', processed: true });
    const r = await new SetupShopper(h).payNewCard({ id: 'tshirt' }, {}, CVN_FAILS);
    expect(r.body.error.code).toBe('payment_outcome_unknown');
    codeOnly = true;
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(await findPayment(h.stub.db, String(r.body.payment.id))).toMatchObject({
      status: 'declined',
      decline_reason: 'CV_FAILED',
      auth_hold: 'released',
    });
  });

  it('declines a payment filed under review before soft declines were read as declines', async () => {
    await new SetupShopper(h).payNewCard({ id: 'tshirt' }, {}, CVN_FAILS);
    const paymentId = await lastPaymentId(h);
    // As an earlier version of the stub left it.
    await h.stub.db.query(`UPDATE payments SET status = 'review', auth_hold = NULL WHERE id = $1`, [
      paymentId,
    ]);
    h.clock.advance(HOUR + 1000);
    // One pass: the review is declined, then its hold released.
    const report = await h.stub.reconciler.runOnce();
    expect([report.reviews.declined, report.holds.released]).toEqual([1, 1]);
    expect(await findPayment(h.stub.db, paymentId)).toMatchObject({
      status: 'declined',
      decline_reason: 'CV_FAILED',
      auth_hold: 'released',
    });
    expect((await upstreamPayment(h, paymentId)).reversedBy).toBeDefined();
  });
});
