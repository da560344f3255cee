/**
 * Changing a subscription's card (server-stub/README.md "Changing a subscription's card"): its
 * shopper moves it onto another saved card; renewals then charge that card, citing its own
 * first payment, and the old card can be removed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { insertPendingPayment } from '../../server-stub/store/payments.ts';
import {
  admin,
  forgetUpstreamCalls,
  type Harness,
  harness,
  holdingSales,
  MASTERCARD,
  recordingHarness,
  Shopper,
  upstreamCalls,
  VISA,
} from './harness.ts';

const DISCOVER = { ...VISA, number: '6011111111111117' };
const DAY = 24 * 3600_000;

let h: Harness;
let sales: Record<string, any>[];
beforeAll(async () => {
  ({ h, sales } = await recordingHarness());
});
afterAll(() => h.close());
beforeEach(() => forgetUpstreamCalls(h));

interface Sub {
  id: string;
  paymentMethodId: string;
  status: string;
  currentPeriod: number;
}

/** A shopper subscribed with a Visa who then kept a second card paying for something else. */
async function subscribedWithTwoCards(second = MASTERCARD, item = { id: 'tshirt' }) {
  const shopper = new Shopper(h);
  const started = await shopper.payNewCard({ id: 'pro-monthly' });
  expect(started.status).toBe(201);
  const kept = await shopper.payNewCard(item, { savePaymentMethod: true }, second);
  expect(kept.status).toBe(201);
  const sub = started.body.subscription as Sub;
  return { shopper, sub, newCard: kept.body.paymentMethodId as string, keptBy: kept.body.payment };
}

const change = (shopper: Shopper, subId: string, paymentMethodId: string) =>
  shopper.request('PUT', `/api/subscriptions/${subId}/payment-method`, { paymentMethodId });

async function networkIdOf(paymentId: string): Promise<string> {
  const r = await h.stub.db.query('SELECT network_transaction_id FROM payments WHERE id = $1', [
    paymentId,
  ]);
  const id = (r.rows[0] as { network_transaction_id: string | null }).network_transaction_id;
  if (!id) throw new Error('no network transaction id');
  return id;
}

describe('the shopper changes the card', () => {
  it('renews on the new card, citing its own first payment, and frees the old card', async () => {
    const { shopper, sub, newCard, keptBy } = await subscribedWithTwoCards();
    await forgetUpstreamCalls(h);

    const r = await change(shopper, sub.id, newCard);
    expect(r.status).toBe(200);
    expect(r.body.subscription).toMatchObject({
      id: sub.id,
      status: 'active',
      currentPeriod: 1,
      paymentMethodId: newCard,
    });
    // The stub's decision alone: nothing is sent to CyberSource.
    expect(await upstreamCalls(h)).toEqual([]);
    const listed = await shopper.request('GET', '/api/subscriptions');
    expect(listed.body.subscriptions[0].paymentMethodId).toBe(newCard);

    const renewed = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body.payment.card).toEqual({ brand: 'mastercard', last4: '4444' });
    const sale = sales.at(-1) as Record<string, any>;
    expect(sale.paymentInformation.paymentInstrument.id).toBe(newCard);
    expect(sale.processingInformation.authorizationOptions.initiator).toMatchObject({
      type: 'merchant',
      storedCredentialUsed: true,
      merchantInitiatedTransaction: {
        reason: '7',
        previousTransactionId: await networkIdOf(keptBy.id),
      },
    });

    // The old card pays for nothing now and can go; the new one cannot.
    const oldGone = await shopper.request('DELETE', `/api/payment-methods/${sub.paymentMethodId}`);
    expect(oldGone.status).toBe(204);
    const newKept = await shopper.request('DELETE', `/api/payment-methods/${newCard}`);
    expect([newKept.status, newKept.body.error.code]).toEqual([409, 'payment_method_in_use']);
  });

  it("cites the new card's own payment amount on a Discover card", async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards(DISCOVER, {
      id: 'donation',
      amount: 1234,
    } as { id: string });
    expect((await change(shopper, sub.id, newCard)).status).toBe(200);
    const renewed = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body.payment.amount).toBe(900);
    const sale = sales.at(-1) as Record<string, any>;
    const mit =
      sale.processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction;
    // The payment cited was 12.34, not the plan's 9.00.
    expect(mit.originalAuthorizedAmount).toBe('12.34');
    expect(sale.orderInformation.amountDetails.totalAmount).toBe('9.00');
  });

  it('makes a past-due subscription due again at once, on a fresh schedule', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    const ended = new Date(Date.now() - DAY);
    await h.stub.db.query(
      `UPDATE subscriptions SET status = 'past_due', renewal_attempts = 3, current_period_end = $2,
         next_renewal_at = $3, renewal_failure_reason = 'INSUFFICIENT_FUND' WHERE id = $1`,
      [sub.id, ended, new Date(Date.now() + 5 * DAY)],
    );
    expect((await renewDue(h.stub)).renewed).not.toContain(sub.id);

    const r = await change(shopper, sub.id, newCard);
    expect(r.body.subscription).toMatchObject({ status: 'past_due', paymentMethodId: newCard });
    const panel = await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`);
    // The new card has not been tried; the last failure's reason stays for the panel.
    expect(panel.body.subscription.renewal).toMatchObject({
      attempts: 0,
      lastFailureReason: 'INSUFFICIENT_FUND',
    });
    expect(Date.parse(panel.body.subscription.renewal.nextAttemptAt)).toBeLessThanOrEqual(
      Date.now(),
    );

    // The next renew-due run charges the new card, and the subscription is paid up again.
    expect((await renewDue(h.stub)).renewed).toContain(sub.id);
    expect((sales.at(-1) as Record<string, any>).paymentInformation.paymentInstrument.id).toBe(
      newCard,
    );
    const after = await shopper.request('GET', '/api/subscriptions');
    expect(after.body.subscriptions[0]).toMatchObject({ status: 'active', currentPeriod: 2 });
  });

  /** Repriced onto a decline trigger (emulator/payments/triggers.ts), its period ended. */
  const repricedToDecline = (id: string) =>
    h.stub.db.query(
      `UPDATE subscriptions SET amount = 210000, current_period_end = now() - interval '1 minute'
       WHERE id = $1`,
      [id],
    );

  it('counts attempts per card: switching away and back never resets a declined card', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    await repricedToDecline(sub.id);
    const renew = () =>
      admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, { period: 2 });
    const renewal = async () =>
      (await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`)).body.subscription;
    expect((await renew()).status).toBe(402);
    expect((await renew()).status).toBe(402);
    expect(await renewal()).toMatchObject({ status: 'past_due', renewal: { attempts: 2 } });

    expect((await change(shopper, sub.id, newCard)).status).toBe(200);
    expect((await renewal()).renewal.attempts).toBe(0);
    expect((await change(shopper, sub.id, sub.paymentMethodId)).status).toBe(200);
    // Back on the first card, with its two failures: two more attempts, not four.
    expect((await renewal()).renewal.attempts).toBe(2);
    // And its own next attempt, 2 days after its second failure: not the "now" the second card
    // was due at, which had the next renew-due run charge the declined card again at once.
    expect(Date.parse((await renewal()).renewal.nextAttemptAt)).toBeGreaterThan(Date.now() + DAY);
    const declinedOnA = () =>
      sales.filter(
        (x) =>
          x.paymentInformation?.paymentInstrument?.id === sub.paymentMethodId &&
          x.orderInformation.amountDetails.totalAmount === '2100.00',
      ).length;
    await renewDue(h.stub);
    expect(declinedOnA()).toBe(2);
    expect((await renew()).status).toBe(402);
    expect((await renew()).status).toBe(402);
    expect(await renewal()).toMatchObject({
      status: 'unpaid',
      paymentMethodId: sub.paymentMethodId,
    });
    const cardA = sales.filter(
      (x) => x.paymentInformation?.paymentInstrument?.id === sub.paymentMethodId,
    );
    expect(
      cardA.filter((x) => x.orderInformation.amountDetails.totalAmount === '2100.00'),
    ).toHaveLength(4);
  });

  it('renew now naming the last failed attempt its panel showed is refused once another was counted, across a card change that lowers the attempts', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    await repricedToDecline(sub.id);
    const panel = async () =>
      (await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`)).body.subscription;
    const renew = (lastFailurePaymentId: string | null) =>
      admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
        period: 2,
        lastFailurePaymentId,
      });
    expect((await renew(null)).status).toBe(402); // declined on the first card
    const seen = (await panel()).renewal;
    expect(seen).toMatchObject({ attempts: 1, lastFailurePaymentId: expect.any(String) });
    // The shopper moves to the other card (0 attempts on it), which is then declined too (1).
    expect((await change(shopper, sub.id, newCard)).status).toBe(200);
    expect((await renew(seen.lastFailurePaymentId)).status).toBe(402);
    expect((await panel()).renewal.attempts).toBe(seen.attempts);
    // A panel still showing the first decline: the attempts match again, the failure does not.
    const sales = h.emulator.state.payments.all('testrest').length;
    const stale = await renew(seen.lastFailurePaymentId);
    expect([stale.status, stale.body.error.code]).toEqual([409, 'renewal_attempted_since']);
    expect(h.emulator.state.payments.all('testrest')).toHaveLength(sales);
  });

  it('answers the same card with the subscription as it is', async () => {
    const { shopper, sub } = await subscribedWithTwoCards();
    const before = await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`);
    const r = await change(shopper, sub.id, sub.paymentMethodId);
    expect(r.status).toBe(200);
    expect(r.body.subscription.paymentMethodId).toBe(sub.paymentMethodId);
    expect((await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`)).body).toEqual(before.body);
  });
});

describe('refusals', () => {
  it("never touches another shopper's subscription or card", async () => {
    const a = await subscribedWithTwoCards();
    const b = await subscribedWithTwoCards();
    const theirs = await change(b.shopper, a.sub.id, b.newCard);
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'subscription_not_found']);
    const theirCard = await change(a.shopper, a.sub.id, b.newCard);
    expect([theirCard.status, theirCard.body.error.code]).toEqual([
      404,
      'payment_method_not_found',
    ]);
    const unknown = await change(a.shopper, a.sub.id, 'pm_unknown');
    expect(unknown.body.error.code).toBe('payment_method_not_found');
    const panel = await admin(h)('GET', `/api/admin/subscriptions/${a.sub.id}`);
    expect(panel.body.subscription.paymentMethodId).toBe(a.sub.paymentMethodId);
  });

  it('refuses a subscription that has ended', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    await shopper.request('POST', `/api/subscriptions/${sub.id}/cancel`, {});
    const r = await change(shopper, sub.id, newCard);
    expect([r.status, r.body.error.code]).toEqual([409, 'subscription_not_renewable']);
    expect(r.body.error.message).toMatch(/ended/);

    const unpaid = await subscribedWithTwoCards();
    await h.stub.db.query(`UPDATE subscriptions SET status = 'unpaid' WHERE id = $1`, [
      unpaid.sub.id,
    ]);
    const u = await change(unpaid.shopper, unpaid.sub.id, unpaid.newCard);
    expect([u.status, u.body.error.code]).toEqual([409, 'subscription_not_renewable']);
  });

  it('refuses bad bodies with the field named', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    const path = `/api/subscriptions/${sub.id}/payment-method`;
    for (const body of [{}, { paymentMethodId: 7 }, { paymentMethodId: newCard, extra: true }]) {
      const r = await shopper.request('PUT', path, body);
      expect([r.status, r.body.error.code]).toEqual([400, 'invalid_request']);
    }
    const none = await shopper.request('PUT', path);
    expect(none.status).toBe(400);
  });

  it('refuses a card being removed', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    await h.stub.db.query('UPDATE payment_methods SET removing_since = $2 WHERE id = $1', [
      newCard,
      new Date(),
    ]);
    const r = await change(shopper, sub.id, newCard);
    expect([r.status, r.body.error.code]).toEqual([404, 'payment_method_not_found']);
  });
});

describe("when the card's first payment has no network transaction id", () => {
  /** The kept card's payment as if its answer had carried none (some processors' do not). */
  const forgetNetworkId = (paymentId: string) =>
    h.stub.db.query('UPDATE payments SET network_transaction_id = NULL WHERE id = $1', [paymentId]);

  /** The same shopper through a stub whose TMS instrument-identifier reads answer `status`. */
  async function withTms(status: number | undefined, shopper: Shopper) {
    const g = await harness({
      db: h.stub.db,
      fetch: async (input, init) =>
        status !== undefined &&
        new URL(String(input)).pathname.startsWith('/tms/v1/instrumentidentifiers/')
          ? new Response(JSON.stringify({ errors: [{ type: 'x', message: 'x' }] }), { status })
          : h.emulatorFetch(input, init),
    });
    const twin = new Shopper(g);
    twin.cookie = shopper.cookie;
    return { g, twin };
  }

  it("cites the one TMS keeps, with the card's first payment's amount", async () => {
    const { shopper, sub, newCard, keptBy } = await subscribedWithTwoCards(DISCOVER, {
      id: 'donation',
      amount: 1234,
    } as { id: string });
    const networkId = await networkIdOf(keptBy.id);
    await forgetNetworkId(keptBy.id);
    await forgetUpstreamCalls(h);
    expect((await change(shopper, sub.id, newCard)).status).toBe(200);
    expect((await upstreamCalls(h)).map((c) => c.path)).toEqual([
      expect.stringMatching(/^\/tms\/v1\/instrumentidentifiers\//),
    ]);
    const renewed = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    const mit = (sales.at(-1) as Record<string, any>).processingInformation.authorizationOptions
      .initiator.merchantInitiatedTransaction;
    // TMS kept the id of the payment that created its instrument identifier: the same one.
    expect(mit).toMatchObject({
      previousTransactionId: networkId,
      originalAuthorizedAmount: '12.34',
    });
  });

  /**
   * A change to a new card whose first payment's answer had no network transaction id, so the
   * stub reads TMS, which answers `status`.
   */
  async function changeReadingTms(status: number) {
    const { shopper, sub, newCard, keptBy } = await subscribedWithTwoCards();
    await forgetNetworkId(keptBy.id);
    const { g, twin } = await withTms(status, shopper);
    try {
      return { sub, r: await change(twin, sub.id, newCard) };
    } finally {
      await g.close();
    }
  }

  it('answers a TMS outage as a gateway error, never as a card that cannot pay', async () => {
    const { sub, r } = await changeReadingTms(503);
    expect(r.status).toBeGreaterThanOrEqual(502);
    expect(r.body.error.code).toMatch(/^gateway_/);
    const panel = await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`);
    expect(panel.body.subscription.paymentMethodId).toBe(sub.paymentMethodId);
  });

  it('refuses a card TMS no longer has', async () => {
    const { r } = await changeReadingTms(404);
    expect([r.status, r.body.error.code]).toEqual([409, 'payment_method_not_recurring']);
  });
});

describe('with a renewal', () => {
  it('refuses while a renewal is being charged, and keeps it on the card it charges', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    // The renewal's sale is held at the gate until the change has been refused.
    const { stub: g, sent, release } = await holdingSales(h);
    try {
      const renewing = admin(g)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
        period: 2,
      });
      await sent;
      const r = await change(shopper, sub.id, newCard);
      expect([r.status, r.body.error.code]).toEqual([409, 'renewal_in_progress']);
      release();
      expect((await renewing).body.payment.card.last4).toBe('1111');
      // Once it is settled, the change goes through.
      expect((await change(shopper, sub.id, newCard)).status).toBe(200);
    } finally {
      release();
      await g.close();
    }
  });

  it('charges nothing when the card changed after the renewal read it', async () => {
    const { shopper, sub, newCard } = await subscribedWithTwoCards();
    expect((await change(shopper, sub.id, newCard)).status).toBe(200);
    // A renewal that read the subscription before the change names the old card.
    const written = await insertPendingPayment(h.stub.db, {
      id: 'pay_stale_card',
      kind: 'renewal',
      shopperId: undefined,
      sessionId: undefined,
      itemId: 'pro-monthly',
      subscriptionId: sub.id,
      period: 2,
      amount: 900,
      currency: 'USD',
      transactionId: 'stale-card-transaction',
      referenceCode: 'pay_stale_card',
      paymentMethodId: sub.paymentMethodId,
      customerId: undefined,
      cardBrand: 'visa',
      cardLast4: '1111',
      createdAt: new Date(),
    });
    expect(written).toEqual({ written: false, why: 'card_changed' });
  });
});
