/**
 * Removing a saved card while it is in use elsewhere (migration 012): a removal takes several
 * TMS calls, and a payment or a subscription starting on the card meanwhile must never end as a
 * subscription whose renewals charge a card TMS deleted. Over HTTP with a gate that holds one
 * upstream call, and at the store on PGlite and on PostgreSQL (`TEST_DATABASE_URL`), where the
 * row lock orders a removal against a payment written at the same moment.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimRemoval, releaseRemoval } from '../../server-stub/store/payment-method-removal.ts';
import { saveOrFindPaymentMethod } from '../../server-stub/store/payment-methods.ts';
import { finishPayment, insertPendingPayment } from '../../server-stub/store/payments.ts';
import { REMOVAL_HOLD_MS } from '../../server-stub/store/removal-hold.ts';
import { ensureShopper } from '../../server-stub/store/shoppers.ts';
import { insertSubscription } from '../../server-stub/store/subscriptions.ts';
import { signal } from '../helpers/signal.ts';
import { SUITE_STORES, suiteStore } from '../helpers/test-store.ts';
import { type Harness, harness, Shopper, upstreamCalls } from './harness.ts';

/** Holds the next upstream call whose method and path match, until `release()`. */
function gate() {
  let match: ((method: string, path: string) => boolean) | undefined;
  let arrived = signal();
  let released = signal();
  const wrap =
    (upstream: () => typeof fetch): typeof fetch =>
    async (input, init) => {
      if (match?.(init?.method ?? 'GET', new URL(String(input)).pathname)) {
        match = undefined;
        arrived.fire();
        await released.reached;
      }
      return upstream()(input, init);
    };
  return {
    wrap,
    /** Arms the gate; resolves once a matching call is held. */
    hold(m: (method: string, path: string) => boolean): Promise<void> {
      match = m;
      arrived = signal();
      released = signal();
      return arrived.reached;
    },
    release: () => released.fire(),
  };
}

describe('removing a saved card while it is in use', () => {
  let h: Harness;
  const g = gate();
  /** Answers the next matching call with this status instead of the emulator. */
  let fail: { status: number; match: (method: string, path: string) => boolean } | undefined;
  beforeAll(async () => {
    let upstream: typeof fetch | undefined;
    h = await harness({
      fetch: g.wrap(() => {
        if (!upstream) throw new Error('harness not ready');
        const up = upstream;
        return async (input, init) => {
          const path = new URL(String(input)).pathname;
          if (fail?.match(init?.method ?? 'GET', path)) {
            const { status } = fail;
            fail = undefined;
            return Response.json(
              status >= 500
                ? { status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR' }
                : { errors: [{ type: 'invalidRequest', message: 'refused' }] },
              { status },
            );
          }
          return up(input, init);
        };
      }),
    });
    upstream = h.emulatorFetch;
  });
  afterAll(() => h.close());

  async function shopperWithCard() {
    const s = new Shopper(h);
    expect((await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true })).status).toBe(201);
    const [card] = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    return { s, card: card as { id: string } };
  }

  const sales = async () =>
    (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments')
      .length;

  it('refuses the removal while a payment with the card is in flight, and allows it after', async () => {
    const { s, card } = await shopperWithCard();
    const held = g.hold((m, p) => m === 'POST' && p === '/pts/v2/payments');
    const paying = s.request('POST', '/api/checkout/payments', {
      paymentMethodId: card.id,
      item: { id: 'pro-monthly' },
    });
    await held;
    const removal = await s.request('DELETE', `/api/payment-methods/${card.id}`);
    expect(removal.status).toBe(409);
    expect(removal.body.error.code).toBe('payment_in_progress');
    g.release();
    const paid = await paying;
    expect(paid.status).toBe(201);
    expect(paid.body.subscription).toMatchObject({ status: 'active' });
    // The subscription now renews on it: still refused, now for that reason.
    const after = await s.request('DELETE', `/api/payment-methods/${card.id}`);
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('payment_method_in_use');
  });

  it('refuses a payment with the card while its removal is under way, and sends no sale', async () => {
    const { s, card } = await shopperWithCard();
    const before = await sales();
    const held = g.hold((m, p) => m === 'DELETE' && p.includes(`/payment-instruments/${card.id}`));
    const removing = s.request('DELETE', `/api/payment-methods/${card.id}`);
    await held;
    for (const item of [{ id: 'pro-monthly' }, { id: 'tshirt' }]) {
      const r = await s.request('POST', '/api/checkout/payments', {
        paymentMethodId: card.id,
        item,
      });
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('payment_method_not_found');
    }
    // A second removal at the same time is answered as for a card already gone.
    expect((await s.request('DELETE', `/api/payment-methods/${card.id}`)).status).toBe(404);
    g.release();
    expect((await removing).status).toBe(204);
    expect(await sales()).toBe(before);
    expect((await s.request('GET', '/api/payment-methods')).body.paymentMethods).toEqual([]);
  });

  it('gives the card back when TMS refuses the removal', async () => {
    const { s, card } = await shopperWithCard();
    fail = { status: 400, match: (m, p) => m === 'DELETE' && p.includes(card.id) };
    const removal = await s.request('DELETE', `/api/payment-methods/${card.id}`);
    expect(removal.body.error.code).toBe('gateway_invalid_request');
    const paid = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: card.id,
      item: { id: 'tshirt' },
    });
    expect(paid.status).toBe(201);
    expect((await s.request('DELETE', `/api/payment-methods/${card.id}`)).status).toBe(204);
  });

  it('keeps holding the card when TMS may have deleted it (a 5xx on the delete)', async () => {
    const { s, card } = await shopperWithCard();
    fail = { status: 502, match: (m, p) => m === 'DELETE' && p.includes(card.id) };
    const removal = await s.request('DELETE', `/api/payment-methods/${card.id}`);
    expect(removal.body.error.code).toBe('gateway_error');
    const paid = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: card.id,
      item: { id: 'pro-monthly' },
    });
    expect([paid.status, paid.body.error?.code]).toEqual([404, 'payment_method_not_found']);
  });

  it('keeps a card typed anew and kept while its saved copy is being removed', async () => {
    const { s, card } = await shopperWithCard();
    const from = (await upstreamCalls(h)).length;
    const held = g.hold((m, p) => m === 'DELETE' && p.includes(`/payment-instruments/${card.id}`));
    const removing = s.request('DELETE', `/api/payment-methods/${card.id}`);
    await held;
    // Another tab keeps the same card again: TMS makes a new instrument, which takes the row over.
    const paid = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    expect(paid.status).toBe(201);
    const kept = paid.body.paymentMethodId;
    expect(kept).not.toBe(card.id);
    g.release();
    expect((await removing).status).toBe(204);
    // Only the instrument the shopper removed was deleted; the one kept again stays theirs.
    const deletes = (await upstreamCalls(h)).slice(from).filter((c) => c.method === 'DELETE');
    expect(deletes.map((c) => c.path.split('/').pop())).toEqual([card.id]);
    const listed = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(listed.map((m: { id: string }) => m.id)).toEqual([kept]);
  });

  it('keeps a card typed anew for a plan while its saved copy is being removed', async () => {
    const { s, card } = await shopperWithCard();
    const held = g.hold((m, p) => m === 'DELETE' && p.includes(`/payment-instruments/${card.id}`));
    const removing = s.request('DELETE', `/api/payment-methods/${card.id}`);
    await held;
    // The same card number: the same instrument identifier, a new payment instrument.
    const paid = await s.payNewCard({ id: 'pro-monthly' });
    expect(paid.status).toBe(201);
    expect(paid.body.subscription).toMatchObject({ status: 'active' });
    expect(paid.body.paymentMethodId).not.toBe(card.id);
    g.release();
    expect((await removing).status).toBe(204);
    // The new instrument is the shopper's card, and the subscription renews on it.
    const listed = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(listed.map((m: { id: string }) => m.id)).toEqual([paid.body.paymentMethodId]);
    expect(paid.body.subscription.paymentMethodId).toBe(paid.body.paymentMethodId);
    expect(h.logs.text).toContain('card kept again while its saved copy is removed');
  });
});

function storeSuite(name: string, concurrent: boolean, open: (typeof SUITE_STORES)[number][1]) {
  describe(`card removal claims on ${name}`, () => {
    const db = suiteStore(open);
    let n = 0;
    const at = new Date('2026-03-01T12:00:00Z');
    const later = (ms: number) => new Date(at.getTime() + ms);
    async function card() {
      const shopperId = `shp_rm_${++n}_${randomBytes(3).toString('hex')}`;
      await ensureShopper(db, shopperId, at);
      const row = await saveOrFindPaymentMethod(db, {
        id: `pi_rm_${n}_${randomBytes(3).toString('hex')}`,
        shopperId,
        customerId: `cust_${n}`,
        instrumentIdentifierId: `ii_rm_${n}_${randomBytes(3).toString('hex')}`,
        brand: 'visa',
        last4: '1111',
        expirationMonth: '12',
        expirationYear: '2031',
        createdAt: at,
      });
      return { shopperId, id: row.id };
    }

    const pending = (c: { shopperId: string; id: string }, createdAt: Date, kind = 'one_time') =>
      insertPendingPayment(db, {
        id: `pay_rm_${++n}_${randomBytes(3).toString('hex')}`,
        kind: kind as 'one_time' | 'subscription_start',
        shopperId: c.shopperId,
        sessionId: undefined,
        itemId: kind === 'one_time' ? 'tshirt' : 'pro-monthly',
        subscriptionId: undefined,
        period: undefined,
        amount: 900,
        currency: 'USD',
        transactionId: randomBytes(8).toString('hex'),
        referenceCode: `ref_${n}`,
        paymentMethodId: c.id,
        customerId: 'cust',
        cardBrand: 'visa',
        cardLast4: '1111',
        createdAt,
      });

    const subscribe = (c: { shopperId: string; id: string }, createdAt: Date) =>
      insertSubscription(db, {
        id: `sub_rm_${++n}_${randomBytes(3).toString('hex')}`,
        shopperId: c.shopperId,
        planId: 'pro-monthly',
        customerId: 'cust',
        paymentMethodId: c.id,
        amount: 900,
        currency: 'USD',
        interval: 'month',
        intervalCount: 1,
        networkTransactionId: 'ntid',
        periodStart: createdAt,
        periodEnd: later(30 * 86_400_000),
        createdAt,
      });

    it('a claimed card takes no payment and starts no subscription until the claim is stale', async () => {
      const c = await card();
      expect(await claimRemoval(db, c.shopperId, c.id, at)).toHaveProperty('claimed');
      expect(await pending(c, later(1000))).toEqual({ written: false, why: 'card_removed' });
      expect(await subscribe(c, later(1000))).toBeUndefined();
      expect(await claimRemoval(db, c.shopperId, c.id, later(1000))).toEqual({
        refused: 'not_found',
      });
      // A process that died mid-removal left the claim: the card is usable again after the hold.
      const stale = later(REMOVAL_HOLD_MS + 1);
      expect(await pending(c, stale)).toMatchObject({ written: true });
    });

    it('a released claim gives the card back', async () => {
      const c = await card();
      expect(await claimRemoval(db, c.shopperId, c.id, at)).toHaveProperty('claimed');
      await releaseRemoval(db, c.id, at);
      expect(await subscribe(c, later(1000))).toMatchObject({ status: 'active' });
    });

    it('refuses the claim for a live subscription, an unresolved payment, another shopper', async () => {
      const a = await card();
      await subscribe(a, at);
      expect(await claimRemoval(db, a.shopperId, a.id, later(1000))).toMatchObject({
        refused: 'subscription',
        subscriptions: [{ planId: 'pro-monthly' }],
      });
      const b = await card();
      expect(await pending(b, at)).toMatchObject({ written: true });
      expect(await claimRemoval(db, b.shopperId, b.id, later(1000))).toEqual({
        refused: 'payment',
      });
      expect(await claimRemoval(db, a.shopperId, b.id, later(1000))).toEqual({
        refused: 'not_found',
      });
    });

    it('holds the card of a plan approved a moment ago until its subscription starts, not for good', async () => {
      const c = await card();
      const w = await pending(c, at, 'subscription_start');
      if (!w.written) throw new Error('not written');
      // Approved three hours after it was sent (a review): the hour counts from the approval.
      const approved = later(3 * 3_600_000);
      await finishPayment(db, w.row.id, { status: 'succeeded' }, approved);
      const sinceApproval = (ms: number) => new Date(approved.getTime() + ms);
      expect(await claimRemoval(db, c.shopperId, c.id, sinceApproval(1000))).toEqual({
        refused: 'payment',
      });
      expect(
        await claimRemoval(db, c.shopperId, c.id, sinceApproval(2 * 3_600_000)),
      ).toHaveProperty('claimed');
    });

    // Only where transactions overlap: PGlite runs one at a time, so there is nothing to order.
    if (concurrent)
      it('orders a claim after a payment being written at that moment (row lock)', async () => {
        const c = await card();
        const written = signal();
        const paying = db.transaction(async (tx) => {
          const w = await insertPendingPayment(tx, {
            id: `pay_lock_${randomBytes(4).toString('hex')}`,
            kind: 'one_time',
            shopperId: c.shopperId,
            sessionId: undefined,
            itemId: 'tshirt',
            subscriptionId: undefined,
            period: undefined,
            amount: 900,
            currency: 'USD',
            transactionId: randomBytes(8).toString('hex'),
            referenceCode: 'ref_lock',
            paymentMethodId: c.id,
            customerId: 'cust',
            cardBrand: 'visa',
            cardLast4: '1111',
            createdAt: at,
          });
          written.fire();
          // Still uncommitted while the claim starts: the claim must wait, then see it.
          await new Promise((r) => setTimeout(r, 150));
          return w;
        });
        await written.reached;
        const claim = await claimRemoval(db, c.shopperId, c.id, later(1000));
        expect((await paying).written).toBe(true);
        expect(claim).toEqual({ refused: 'payment' });
      });
  });
}

for (const [name, open] of SUITE_STORES) storeSuite(name, name === 'PostgreSQL', open);
