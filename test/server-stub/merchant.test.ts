import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyShopperCookie } from '../../server-stub/identity/shopper.ts';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import { signal } from '../helpers/signal.ts';
import {
  admin,
  forgetUpstreamCalls,
  type Harness,
  harness,
  MASTERCARD,
  newKey,
  Shopper,
  upstreamCalls,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.reset());

/**
 * The same database and emulator, 32 days later: a monthly subscription is due. Both clocks
 * move (requests are signed with the date).
 */
async function monthLater(env: Record<string, string> = {}): Promise<Harness> {
  const offsetMs = 32 * 24 * 3600_000;
  const later = await harness({
    db: h.stub.db,
    fetch: h.emulatorFetch,
    now: () => new Date(Date.now() + offsetMs),
    env,
  });
  await h.emulatorFetch('http://localhost:4010/__emulator/clock', {
    method: 'PUT',
    body: JSON.stringify({ offsetMs }),
  });
  return later;
}

/** Another stub on this database and emulator, its calls to CyberSource through `wrap`. */
const beside = (wrap: (upstream: typeof fetch) => typeof fetch, env: Record<string, string> = {}) =>
  harness({ db: h.stub.db, fetch: wrap(h.emulatorFetch), env });

const refundCalls = async () => (await upstreamCalls(h)).filter((c) => c.path.endsWith('/refunds'));

describe('merchant endpoints', () => {
  it.each([
    ['no token', ''],
    ['a wrong token', 'not-the-admin-token-at-all'],
  ])('refuses %s with 401', async (_name, token) => {
    const call = admin(h, token);
    for (const [method, path] of [
      ['GET', '/api/admin/payments'],
      ['GET', '/api/admin/subscriptions'],
      ['POST', '/api/admin/payments/pay_x/refunds'],
      ['POST', '/api/admin/subscriptions/sub_x/renewals'],
      ['POST', '/api/admin/subscriptions/sub_x/cancel'],
      ['POST', '/api/admin/renew-due'],
    ] as const) {
      const r = await call(method, path, method === 'POST' ? {} : undefined);
      expect([path, r.status, r.body.error.code]).toEqual([path, 401, 'admin_unauthorized']);
    }
    expect(await upstreamCalls(h)).toEqual([]);
  });

  it('names an unknown query parameter as (query), not as the body', async () => {
    const r = await admin(h)('GET', '/api/admin/subscriptions?sort=asc');
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([
      expect.objectContaining({ field: '(query)', code: 'unrecognized_keys' }),
    ]);
  });

  it('answers even when checkout is disabled', async () => {
    const off = await harness({ env: { CHECKOUT_ENABLED: 'false' } });
    try {
      expect((await admin(off)('GET', '/api/admin/payments')).status).toBe(200);
    } finally {
      await off.close();
    }
  });
});

describe('refunds', () => {
  it('refunds partially, then the rest, never above captured minus refunded', async () => {
    const paid = await new Shopper(h).payNewCard({ id: 'donation', amount: 10_000 });
    const id = paid.body.payment.id;
    const call = admin(h);
    const part = await call('POST', `/api/admin/payments/${id}/refunds`, { amount: 3000 });
    expect(part.status).toBe(201);
    expect(part.body.refund).toMatchObject({ amount: 3000, status: 'succeeded', currency: 'USD' });
    expect(part.body.payment.refundedAmount).toBe(3000);
    const tooMuch = await call('POST', `/api/admin/payments/${id}/refunds`, { amount: 7001 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toMatchObject({
      code: 'refund_exceeds_available',
      details: { available: 7000 },
    });
    const rest = await call('POST', `/api/admin/payments/${id}/refunds`, {});
    expect(rest.body.refund.amount).toBe(7000);
    const none = await call('POST', `/api/admin/payments/${id}/refunds`, {});
    expect([none.status, none.body.error.code]).toEqual([409, 'payment_fully_refunded']);
    expect(await refundCalls()).toHaveLength(2);
    const detail = await call('GET', `/api/admin/payments/${id}`);
    expect(detail.body.refunds.map((r: { amount: number }) => r.amount)).toEqual([3000, 7000]);
  });

  it('lets only one of many concurrent refunds through when together they exceed the payment', async () => {
    const paid = await new Shopper(h).payNewCard({ id: 'donation', amount: 10_000 });
    const call = admin(h);
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('POST', `/api/admin/payments/${paid.body.payment.id}/refunds`, { amount: 6000 }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422, 422, 422]);
  });

  it('gives the amount back when CyberSource refuses a refund, so the whole payment can still be refunded', async () => {
    const paid = await new Shopper(h).payNewCard({ id: 'donation', amount: 10_000 });
    const id = paid.body.payment.id;
    const refusing = await beside(
      (upstream) => async (input, init) =>
        new URL(String(input)).pathname.endsWith('/refunds')
          ? Response.json(
              {
                status: 'INVALID_REQUEST',
                reason: 'INVALID_DATA',
                message: 'Declined - One or more fields in the request contains invalid data',
              },
              { status: 400 },
            )
          : upstream(input, init),
    );
    try {
      const refused = await admin(refusing)('POST', `/api/admin/payments/${id}/refunds`, {
        amount: 4000,
      });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'gateway_invalid_request']);
    } finally {
      await refusing.close();
    }
    const call = admin(h);
    expect((await call('GET', `/api/admin/payments/${id}`)).body.payment.refundedAmount).toBe(0);
    const whole = await call('POST', `/api/admin/payments/${id}/refunds`, {});
    expect(whole.status).toBe(201);
    expect(whole.body.refund).toMatchObject({ amount: 10_000, status: 'succeeded' });
  });

  it('refunds a payment in its own currency after CHECKOUT_CURRENCY changed', async () => {
    const paid = await new Shopper(h).payNewCard({ id: 'donation', amount: 10_000 });
    const sent: Record<string, any>[] = [];
    const euros = await beside(
      (upstream) => async (input, init) => {
        if (String(input).endsWith('/refunds') && typeof init?.body === 'string')
          sent.push(JSON.parse(init.body));
        return upstream(input, init);
      },
      { CHECKOUT_CURRENCY: 'EUR' },
    );
    try {
      const r = await admin(euros)('POST', `/api/admin/payments/${paid.body.payment.id}/refunds`, {
        amount: 2500,
      });
      expect(r.status).toBe(201);
      expect(r.body.refund).toMatchObject({ amount: 2500, currency: 'USD' });
    } finally {
      await euros.close();
    }
    expect(sent.map((b) => b.orderInformation.amountDetails)).toEqual([
      { totalAmount: '25.00', currency: 'USD' },
    ]);
  });

  it.each([
    // The emulator's triggers: 2203.00 is held for a person's review, 2000.00 answered 502.
    ['held for review', 220_300, 'review'],
    ['whose outcome is unknown', 200_000, 'unknown'],
  ])('refuses a refund of a payment %s, before calling CyberSource', async (_, amount, status) => {
    const paid = await new Shopper(h).payNewCard({ id: 'donation', amount });
    expect(paid.body.payment.status).toBe(status);
    const r = await admin(h)('POST', `/api/admin/payments/${paid.body.payment.id}/refunds`, {});
    expect([r.status, r.body.error.code]).toEqual([409, 'payment_not_refundable']);
    expect(await refundCalls()).toEqual([]);
  });

  it('refuses refunds of declined and unknown payments', async () => {
    const declined = await new Shopper(h).payNewCard({ id: 'donation', amount: 210_000 });
    const list = await admin(h)('GET', '/api/admin/payments?status=declined&limit=1');
    const r = await admin(h)('POST', `/api/admin/payments/${list.body.payments[0].id}/refunds`, {});
    expect(declined.status).toBe(402);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('payment_not_refundable');
    const missing = await admin(h)('POST', '/api/admin/payments/pay_nope/refunds', {});
    expect(missing.status).toBe(404);
  });
});

describe('payments list query', () => {
  it('pages by cursor without skipping payments made in the same millisecond', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 3; i += 1)
      mine.push((await new Shopper(h).payNewCard({ id: 'tshirt' })).body.payment.id);
    // Several processes on one database write rows with equal times.
    await h.stub.db.query(
      `UPDATE payments SET created_at = '2099-01-01T00:00:00Z' WHERE id = ANY($1::text[])`,
      [mine],
    );
    const call = admin(h);
    const paged: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const after: string = cursor ? `&startingAfter=${cursor}` : '';
      const r = await call('GET', `/api/admin/payments?limit=1${after}`);
      paged.push(...r.body.payments.map((p: { id: string }) => p.id));
      cursor = r.body.nextCursor;
      if (paged.length >= 3 || !cursor) break;
    }
    expect(paged.sort()).toEqual([...mine].sort());
    const unknown = await call('GET', '/api/admin/payments?startingAfter=pay_nope');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'payment_not_found']);
  });

  it('finds the payments of one shopper, of one subscription, and by the id the Business Center shows', async () => {
    const shopper = new Shopper(h);
    const bought = await shopper.payNewCard({ id: 'pro-monthly' });
    const shirt = await shopper.request('POST', '/api/checkout/payments', {
      paymentMethodId: bought.body.paymentMethodId,
      item: { id: 'tshirt' },
    });
    expect(shirt.status).toBe(201);
    await new Shopper(h).payNewCard({ id: 'tshirt' }); // someone else's
    const subscriptionId: string = bought.body.subscription.id;
    const renewed = await admin(h)('POST', `/api/admin/subscriptions/${subscriptionId}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    const call = admin(h);
    const ids = async (query: string) => {
      const r = await call('GET', `/api/admin/payments?${query}`);
      expect(r.status).toBe(200);
      return r.body.payments.map((p: { id: string }) => p.id);
    };
    expect(await ids(`subscriptionId=${subscriptionId}`)).toEqual([
      renewed.body.payment.id,
      bought.body.payment.id,
    ]);
    const shopperId: string = (await call('GET', `/api/admin/payments/${bought.body.payment.id}`))
      .body.payment.shopperId;
    expect(await ids(`shopperId=${shopperId}`)).toEqual([
      renewed.body.payment.id,
      shirt.body.payment.id,
      bought.body.payment.id,
    ]);
    expect(await ids(`shopperId=${shopperId}&subscriptionId=${subscriptionId}&limit=1`)).toEqual([
      renewed.body.payment.id,
    ]);
    const { cybersourceId } = (await call('GET', `/api/admin/payments/${shirt.body.payment.id}`))
      .body.payment;
    expect(cybersourceId).toMatch(/^\d{22}$/);
    expect(await ids(`cybersourceId=${cybersourceId}`)).toEqual([shirt.body.payment.id]);
    expect(await ids('cybersourceId=0000000000000000000000')).toEqual([]);
    const bad = await call('GET', '/api/admin/payments?shopperId=a%20b');
    expect([bad.status, bad.body.error.code, bad.body.error.details[0].field]).toEqual([
      400,
      'invalid_request',
      'shopperId',
    ]);
    // A misspelt filter is refused, not ignored into a list of every payment.
    const misspelt = await call('GET', `/api/admin/payments?shopper=${shopperId}`);
    expect([misspelt.status, misspelt.body.error.code]).toEqual([400, 'invalid_request']);
  });

  it('reads `before` with any UTC offset, and refuses a key given twice', async () => {
    await new Shopper(h).payNewCard({ id: 'tshirt' });
    const call = admin(h);
    const utc = await call('GET', '/api/admin/payments?limit=200&before=2999-01-01T00:00:00Z');
    const offset = await call(
      'GET',
      `/api/admin/payments?limit=200&before=${encodeURIComponent('2999-01-01T14:00:00+14:00')}`,
    );
    expect(utc.status).toBe(200);
    expect(offset.body).toEqual(utc.body);
    const earlier = await call('GET', '/api/admin/payments?before=2000-01-01T05:30:00%2B05:30');
    expect(earlier.body.payments).toEqual([]);
    const twice = await call('GET', '/api/admin/payments?limit=1&limit=2');
    expect(twice.status).toBe(400);
    expect(twice.body.error).toMatchObject({
      code: 'invalid_request',
      details: [{ field: 'limit', code: 'repeated' }],
    });
  });
});

describe('subscriptions', () => {
  it('lists subscriptions by status, page by page', async () => {
    for (let i = 0; i < 3; i += 1) await new Shopper(h).payNewCard({ id: 'pro-monthly' });
    const call = admin(h);
    const first = await call('GET', '/api/admin/subscriptions?limit=2&status=active');
    expect(first.body.subscriptions).toHaveLength(2);
    const rest = await call(
      'GET',
      `/api/admin/subscriptions?limit=2&status=active&startingAfter=${first.body.nextCursor}`,
    );
    const ids = [...first.body.subscriptions, ...rest.body.subscriptions].map(
      (x: { id: string }) => x.id,
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const none = await call('GET', '/api/admin/subscriptions?status=unpaid');
    expect(none.body).toEqual({ subscriptions: [], nextCursor: null });
  });

  it('starts a subscription from a plan with a stored credential and renews it merchant-initiated', async () => {
    const s = new Shopper(h);
    const start = await s.payNewCard({ id: 'pro-monthly' });
    expect(start.status).toBe(201);
    const sub = start.body.subscription;
    expect(sub).toMatchObject({
      planId: 'pro-monthly',
      status: 'active',
      currentPeriod: 1,
      amount: 900,
    });
    // A plan keeps the card even without savePaymentMethod: renewals need the stored credential.
    expect((await s.request('GET', '/api/payment-methods')).body.paymentMethods).toHaveLength(1);

    const renewed = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body.payment).toMatchObject({ status: 'succeeded', amount: 900 });
    // In the panel's views, as its lists show them.
    expect(renewed.body.payment).toMatchObject({
      kind: 'renewal',
      period: 2,
      subscriptionId: sub.id,
      cybersourceId: expect.stringMatching(/^\d{22}$/),
    });
    expect(renewed.body.subscription.renewal).toMatchObject({
      attempts: 0,
      nextAttemptAt: renewed.body.subscription.currentPeriodEnd,
      inFlight: null,
    });
    expect(renewed.body.subscription.currentPeriod).toBe(2);
    expect(renewed.body.subscription.currentPeriodStart).toBe(sub.currentPeriodEnd);

    const list = await admin(h)('GET', '/api/admin/subscriptions');
    expect(list.body.subscriptions.find((x: { id: string }) => x.id === sub.id).currentPeriod).toBe(
      2,
    );
  });

  it('refuses a second live subscription to the same plan before any payment call', async () => {
    const s = new Shopper(h);
    const first = await s.payNewCard({ id: 'pro-monthly' });
    expect(first.status).toBe(201);
    const sales = async () =>
      (await upstreamCalls(h)).filter((c) => c.path === '/pts/v2/payments').length;
    const before = await sales();
    const again = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: first.body.paymentMethodId,
      item: { id: 'pro-monthly' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_subscribed');
    expect(await sales()).toBe(before);
  });

  it('starts a subscription with a saved card', async () => {
    const s = new Shopper(h);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const [method] = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    const r = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: method.id,
      item: { id: 'pro-monthly' },
    });
    expect(r.status).toBe(201);
    expect(r.body.subscription.paymentMethodId).toBe(method.id);
  });

  it('renews due subscriptions with the renew-due command, once per period', async () => {
    const s = new Shopper(h);
    const { subscription } = (await s.payNewCard({ id: 'pro-monthly' })).body;
    expect((await renewDue(h.stub)).renewed).not.toContain(subscription.id);
    const later = await monthLater();
    try {
      await forgetUpstreamCalls(h);
      const [first, second] = [await renewDue(later.stub), await renewDue(later.stub)];
      expect(first.renewed).toContain(subscription.id);
      expect(second.renewed).not.toContain(subscription.id);
      const renewals = await admin(h)('GET', '/api/admin/payments?limit=200');
      const mine = renewals.body.payments.filter(
        (p: { subscriptionId: string }) => p.subscriptionId === subscription.id,
      );
      expect(
        mine
          .map((p: { kind: string; period: number; status: string }) => [
            p.kind,
            p.period,
            p.status,
          ])
          .sort(),
      ).toEqual([
        ['renewal', 2, 'succeeded'],
        ['subscription_start', 1, 'succeeded'],
      ]);
    } finally {
      await later.close();
    }
  });

  // Signed either way: the HTTP signature's timing is the one that let a run repair the advance
  // of a renewal the other had just paid, so both reported it renewed.
  it.each([
    ['JWT', 'jwt'],
    ['HTTP signature', 'http-signature'],
  ])(
    'two renew-due runs at once (%s) charge each due period once, and each renewal is reported by one run',
    async (_name, auth) => {
      const subs: string[] = [];
      for (let i = 0; i < 3; i++)
        subs.push((await new Shopper(h).payNewCard({ id: 'pro-monthly' })).body.subscription.id);
      const later = await monthLater({ CYBERSOURCE_AUTH: auth });
      try {
        await forgetUpstreamCalls(h);
        const [a, b] = await Promise.all([renewDue(later.stub), renewDue(later.stub)]);
        expect([...a.failed, ...b.failed]).toEqual([]);
        expect([...a.renewed, ...b.renewed].filter((id) => subs.includes(id)).sort()).toEqual(
          [...subs].sort(),
        );
        // What one renewed, the other skipped (in flight, or renewed by then).
        expect(
          [...a.skipped, ...b.skipped].map((s) => s.id).filter((id) => subs.includes(id)),
        ).not.toEqual([]);
        const sales = (await upstreamCalls(h)).filter(
          (c) => c.method === 'POST' && c.path === '/pts/v2/payments',
        );
        expect(sales).toHaveLength(3);
      } finally {
        await later.close();
      }
    },
  );

  it('a renew-due run told to stop finishes the renewal in flight, starts no other, and the rest stay due', async () => {
    for (let i = 0; i < 2; i++) await new Shopper(h).payNewCard({ id: 'pro-monthly' });
    const later = await monthLater();
    try {
      await forgetUpstreamCalls(h);
      // SIGTERM lands while the first renewal is being charged: read before each renewal, the
      // signal is aborted from the second read on.
      let reads = 0;
      const stop = {
        get aborted() {
          return reads++ > 0;
        },
      } as AbortSignal;
      const stopped = await renewDue(later.stub, { stop });
      const attempted = [
        ...stopped.renewed,
        ...stopped.declined,
        ...stopped.held,
        ...stopped.skipped.map((x) => x.id),
        ...stopped.failed.map((x) => x.id),
      ];
      expect(attempted).toHaveLength(1);
      expect(stopped.notStarted.length).toBeGreaterThanOrEqual(1);
      expect(stopped.notStarted).not.toContain(attempted[0]);
      const sales = async () =>
        (await upstreamCalls(h)).filter(
          (c) => c.method === 'POST' && c.path === '/pts/v2/payments',
        );
      expect(await sales()).toHaveLength(1);
      expect(later.logs.text).toContain('renew-due stopped early');
      // Not started is not lost: the next run renews them.
      const next = await renewDue(later.stub);
      expect(next.renewed).toEqual(expect.arrayContaining(stopped.notStarted));
      expect(next.notStarted).toEqual([]);
    } finally {
      await later.close();
    }
  });

  it('POST /api/admin/renew-due on a stopping stub charges nothing and lists what is due', async () => {
    const { subscription } = (await new Shopper(h).payNewCard({ id: 'pro-monthly' })).body;
    const later = await monthLater();
    try {
      later.stub.drain();
      await forgetUpstreamCalls(h);
      const run = await admin(later)('POST', '/api/admin/renew-due', {});
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ renewed: [], declined: [], held: [], failed: [] });
      expect(run.body.notStarted).toContain(subscription.id);
      expect(await upstreamCalls(h)).toEqual([]);
      // Still due, for the next run (the emulator forgets its cards between these tests).
      expect((await renewDue(later.stub)).renewed).toContain(subscription.id);
    } finally {
      await later.close();
    }
  });

  it('renews due subscriptions from POST /api/admin/renew-due; a replayed key renews nothing more', async () => {
    const s = new Shopper(h);
    const { subscription } = (await s.payNewCard({ id: 'pro-monthly' })).body;
    const later = await monthLater();
    try {
      const call = admin(later);
      // A bad or misspelt limit is refused, not run as the default batch.
      for (const body of [{ limit: 0 }, { limt: 1 }]) {
        const refused = await call('POST', '/api/admin/renew-due', body);
        expect([body, refused.status, refused.body.error.code]).toEqual([
          body,
          400,
          'invalid_request',
        ]);
      }
      await forgetUpstreamCalls(h);
      const key = { 'idempotency-key': 'renew-due-run-1' };
      const run = await call('POST', '/api/admin/renew-due', {}, key);
      expect(run.status).toBe(200);
      expect(run.body).toMatchObject({ declined: [], held: [], failed: [] });
      expect(run.body.renewed).toContain(subscription.id);
      // The scheduler retried the same run (its answer was lost): the same report, no new sale.
      expect(await call('POST', '/api/admin/renew-due', {}, key)).toEqual(run);
      expect((await call('POST', '/api/admin/renew-due', {})).body.renewed).toEqual([]);
      const sales = (await upstreamCalls(h)).filter(
        (c) => c.method === 'POST' && c.path === '/pts/v2/payments',
      );
      expect(sales).toHaveLength(run.body.renewed.length);
      const sub = await call('GET', `/api/admin/subscriptions/${subscription.id}`);
      expect(sub.body.subscription.currentPeriod).toBe(2);
      // The run's key names no renewal: the reconciler must never answer it with one of them.
      const keyRow = await h.stub.db.query(
        "SELECT resource_id FROM idempotency_keys WHERE scope = 'admin' AND key = $1",
        ['renew-due-run-1'],
      );
      expect(keyRow.rows).toEqual([{ resource_id: null }]);
    } finally {
      await later.close();
    }
  });

  it('says when more subscriptions were due than a run took', async () => {
    await new Shopper(h).payNewCard({ id: 'pro-monthly' });
    await new Shopper(h).payNewCard({ id: 'pro-monthly' });
    const later = await monthLater();
    try {
      const call = admin(later);
      const first = await call('POST', '/api/admin/renew-due', { limit: 1 });
      expect(first.body).toMatchObject({ more: true });
      expect(first.body.renewed).toHaveLength(1);
      const rest = await call('POST', '/api/admin/renew-due', {});
      expect(rest.body).toMatchObject({ more: false });
    } finally {
      await later.close();
    }
  });

  it('runs one renew-due at a time: a second run beside it is 409 renew_due_in_progress', async () => {
    const s = new Shopper(h);
    await s.payNewCard({ id: 'pro-monthly' });
    const later = await monthLater();
    await h.emulatorFetch('http://localhost:4010/__emulator/latency', {
      method: 'PUT',
      body: JSON.stringify({ ms: 300 }),
    });
    try {
      const call = admin(later);
      const first = call('POST', '/api/admin/renew-due', {});
      await new Promise((r) => setTimeout(r, 50));
      const retryKey = { 'idempotency-key': newKey() };
      const second = await call('POST', '/api/admin/renew-due', {}, retryKey);
      expect([second.status, second.body.error.code]).toEqual([409, 'renew_due_in_progress']);
      expect((await first).status).toBe(200);
      // Free again once the first has answered, for the refused run's own key too: a
      // scheduler retrying with it runs, rather than being told "in progress" for a day.
      const retried = await call('POST', '/api/admin/renew-due', {}, retryKey);
      expect(retried.status).toBe(200);
      expect(retried.body).toHaveProperty('renewed');
    } finally {
      await later.close();
    }
  });

  it('charges one renewal when two renew-due runs overlap on one due subscription', async () => {
    const s = new Shopper(h);
    const { subscription } = (await s.payNewCard({ id: 'pro-monthly' })).body;
    const later = await monthLater();
    try {
      // Run B lists the due subscriptions, then stalls until run A has renewed everything.
      const gate = signal();
      const listed = signal();
      const db = later.stub.checkout.db;
      const slowDb = Object.assign(Object.create(db), {
        query: async (sql: string, params?: unknown[]) => {
          const r = await db.query(sql, params);
          if (sql.includes('current_period_end <=')) {
            listed.fire();
            await gate.reached;
          }
          return r;
        },
        transaction: db.transaction.bind(db),
      });
      const runB = renewDue({ checkout: { ...later.stub.checkout, db: slowDb } });
      await listed.reached;
      const runA = await renewDue(later.stub);
      gate.fire();
      const b = await runB;
      expect(runA.renewed).toContain(subscription.id);
      expect(b.renewed).not.toContain(subscription.id);
      // Renewed by A meanwhile: skipped, not a failure (the command would exit 1 on one).
      expect(b.skipped).toContainEqual({ id: subscription.id, code: 'renewal_period_mismatch' });
      expect(b.failed).toEqual([]);
      const all = await admin(h)('GET', '/api/admin/payments?limit=200');
      const renewals = all.body.payments.filter(
        (p: { subscriptionId: string; kind: string }) =>
          p.subscriptionId === subscription.id && p.kind === 'renewal',
      );
      expect(renewals.map((p: { period: number }) => p.period)).toEqual([2]);
    } finally {
      await later.close();
    }
  });

  it('still renews early on the merchant "renew now" endpoint, one named period at a time', async () => {
    const { subscription } = (await new Shopper(h).payNewCard({ id: 'pro-monthly' })).body;
    const call = admin(h);
    const path = `/api/admin/subscriptions/${subscription.id}/renewals`;
    const first = await call('POST', path, { period: 2 });
    const second = await call('POST', path, { period: 3 });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.subscription.currentPeriod).toBe(3);
  });

  it('refuses a "renew now" that does not name the next period, before calling CyberSource', async () => {
    const { subscription } = (await new Shopper(h).payNewCard({ id: 'pro-monthly' })).body;
    const call = admin(h);
    const path = `/api/admin/subscriptions/${subscription.id}/renewals`;
    await forgetUpstreamCalls(h);
    // No period, or not a period number: a 400, never a charge.
    for (const body of [{}, { period: 0 }, { period: '2' }, { period: 2.5 }]) {
      const r = await call('POST', path, body);
      expect([JSON.stringify(body), r.status, r.body.error.code]).toEqual([
        JSON.stringify(body),
        400,
        'invalid_request',
      ]);
    }
    const renewed = await call('POST', path, { period: 2 });
    expect(renewed.status).toBe(201);
    const paymentCalls = async () =>
      (await upstreamCalls(h)).filter((c) => c.path === '/pts/v2/payments').length;
    expect(await paymentCalls()).toBe(1);
    // The panel retries with a fresh Idempotency-Key: period 2 is paid, so nothing is billed.
    for (const period of [2, 4, 1]) {
      const r = await call('POST', path, { period });
      expect([period, r.status, r.body.error.code]).toEqual([
        period,
        409,
        'renewal_period_mismatch',
      ]);
      expect(r.body.error.details).toEqual({ requestedPeriod: period, nextPeriod: 3 });
    }
    expect(await paymentCalls()).toBe(1);
    const after = await call('GET', `/api/admin/subscriptions/${subscription.id}`);
    expect(after.body.subscription.currentPeriod).toBe(2);
  });

  it("marks a subscription past due when the renewal at its period's end is declined", async () => {
    const s = new Shopper(h);
    const { subscription } = (await s.payNewCard({ id: 'pro-monthly' })).body;
    // Reprice the stored subscription onto a decline trigger (emulator/payments/triggers.ts), and
    // end its period (an early renewal's decline counts nothing: renewal-retries.test.ts).
    await h.stub.db.query(
      `UPDATE subscriptions SET amount = 210000, current_period_end = now() - interval '1 minute'
       WHERE id = $1`,
      [subscription.id],
    );
    const r = await admin(h)('POST', `/api/admin/subscriptions/${subscription.id}/renewals`, {
      period: 2,
    });
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe('card_declined');
    const after = await admin(h)('GET', `/api/admin/subscriptions/${subscription.id}`);
    expect(after.body.subscription).toMatchObject({
      status: 'past_due',
      currentPeriod: 1,
      renewal: { attempts: 1, lastFailureReason: 'PROCESSOR_DECLINED' },
    });
  });

  it('refuses to renew an unknown subscription', async () => {
    const r = await admin(h)('POST', '/api/admin/subscriptions/sub_nope/renewals', { period: 2 });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('subscription_not_found');
  });
});

describe('saved payment methods', () => {
  it('lists, sets the default and deletes, each shopper only their own', async () => {
    const a = new Shopper(h);
    const b = new Shopper(h);
    await a.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    await a.payNewCard(
      { id: 'tshirt' },
      { savePaymentMethod: true },
      {
        number: '5555555555554444',
        securityCode: '321',
        expirationMonth: '01',
        expirationYear: '2032',
      },
    );
    await b.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const aMethods = (await a.request('GET', '/api/payment-methods')).body.paymentMethods;
    const bMethods = (await b.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(aMethods).toHaveLength(2);
    expect(bMethods).toHaveLength(1);
    const bCard = bMethods[0].id;

    // B's card is invisible to A: not listable, not usable, not deletable, not defaultable.
    expect(aMethods.map((m: { id: string }) => m.id)).not.toContain(bCard);
    const use = await a.request('POST', '/api/checkout/payments', {
      paymentMethodId: bCard,
      item: { id: 'tshirt' },
    });
    expect(use.body.error.code).toBe('payment_method_not_found');
    expect((await a.request('DELETE', `/api/payment-methods/${bCard}`)).status).toBe(404);
    expect((await a.request('PUT', `/api/payment-methods/${bCard}/default`)).status).toBe(404);
    expect((await b.request('GET', '/api/payment-methods')).body.paymentMethods).toHaveLength(1);

    const notDefault = aMethods.find((m: { default: boolean }) => !m.default);
    const made = await a.request('PUT', `/api/payment-methods/${notDefault.id}/default`);
    expect(made.body.paymentMethod).toMatchObject({ id: notDefault.id, default: true });
    // Deleting the default promotes the other card first, never asking TMS to delete a default
    // it would refuse (the refusal's status is undocumented).
    await forgetUpstreamCalls(h);
    expect((await a.request('DELETE', `/api/payment-methods/${notDefault.id}`)).status).toBe(204);
    // TMS's calls only: a checkout's Flex key (`POST /flex/v1/keys`, never awaited by the
    // shopper) can still be on its way when the log is cleared, on a busy machine.
    expect(
      (await upstreamCalls(h))
        .filter((c) => c.path.startsWith('/tms/'))
        .map((c) => `${c.method} ${c.path.replace(/[0-9A-F]{32}/g, '…')} ${c.status}`),
    ).toEqual([
      'GET /tms/v2/customers/…/payment-instruments 200',
      'PATCH /tms/v2/customers/…/payment-instruments/… 200',
      'DELETE /tms/v2/customers/…/payment-instruments/… 204',
    ]);
    const left = (await a.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(left).toHaveLength(1);
    expect(left[0].default).toBe(true);
  });

  it('refuses to delete the card a live subscription renews with, until it no longer does', async () => {
    const s = new Shopper(h);
    const { subscription } = (await s.payNewCard({ id: 'pro-monthly' })).body;
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
    const methods = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    const other = methods.find((m: { id: string }) => m.id !== subscription.paymentMethodId);
    await forgetUpstreamCalls(h);

    for (const status of ['active', 'past_due']) {
      await h.stub.db.query('UPDATE subscriptions SET status = $2 WHERE id = $1', [
        subscription.id,
        status,
      ]);
      const r = await s.request('DELETE', `/api/payment-methods/${subscription.paymentMethodId}`);
      expect([status, r.status, r.body.error.code]).toEqual([status, 409, 'payment_method_in_use']);
      expect(r.body.error.message).toMatch(/cancel the subscription or change its card/i);
      expect(r.body.error.details).toEqual({
        subscriptions: [{ id: subscription.id, planId: 'pro-monthly' }],
      });
    }
    // Never reached TMS; the card is still there and still renews.
    expect((await upstreamCalls(h)).filter((c) => c.method === 'DELETE')).toEqual([]);
    const renewed = await admin(h)('POST', `/api/admin/subscriptions/${subscription.id}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    // A card no subscription uses goes as before; so does this one once its subscription ended.
    expect((await s.request('DELETE', `/api/payment-methods/${other.id}`)).status).toBe(204);
    await h.stub.db.query("UPDATE subscriptions SET status = 'unpaid' WHERE id = $1", [
      subscription.id,
    ]);
    const gone = await s.request('DELETE', `/api/payment-methods/${subscription.paymentMethodId}`);
    expect(gone.status).toBe(204);
  });

  it('shows an empty list to a new shopper without calling TMS', async () => {
    const r = await new Shopper(h).request('GET', '/api/payment-methods');
    expect(r.body).toEqual({ paymentMethods: [] });
    expect(await upstreamCalls(h)).toEqual([]);
  });

  it('ignores a forged shopper cookie', async () => {
    const a = new Shopper(h);
    await a.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const forged = new Shopper(h);
    forged.cookie = a.cookie?.replace(/\.[^.]+$/, '.forged-signature');
    const r = await forged.request('GET', '/api/payment-methods');
    expect(r.body.paymentMethods).toEqual([]);
  });

  it("ignores a cookie naming another shopper's id under a signature of the right length", async () => {
    const victim = new Shopper(h);
    await victim.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const attacker = new Shopper(h);
    await attacker.request('POST', '/api/checkout/sessions', {});
    const [victimId = '', victimSignature = ''] = (victim.cookie ?? '').split('.');
    const [, attackerSignature = ''] = (attacker.cookie ?? '').split('.');
    expect(attackerSignature).toHaveLength(victimSignature.length);
    // The attacker's own valid signature, and one made up, each on the victim's id.
    for (const signature of [attackerSignature, 'A'.repeat(victimSignature.length)]) {
      const forged = new Shopper(h);
      forged.cookie = `${victimId}.${signature}`;
      const r = await forged.request('GET', '/api/payment-methods');
      expect([signature, r.body.paymentMethods]).toEqual([signature, []]);
    }
    // The victim's own cookie still lists the card.
    expect((await victim.request('GET', '/api/payment-methods')).body.paymentMethods).toHaveLength(
      1,
    );
  });

  it('verifies the whole shopper id under its signature, not just its length', () => {
    const secret = 'a-cookie-secret-for-this-test-0123456789';
    const [a, b] = ['shp_AAAAAAAAAAAAAAAA', 'shp_BBBBBBBBBBBBBBBB'];
    const signatureOfA = createHmac('sha256', secret).update(a).digest('base64url');
    expect(verifyShopperCookie(secret, `${a}.${signatureOfA}`)).toBe(a);
    expect(verifyShopperCookie(secret, `${b}.${signatureOfA}`)).toBeUndefined();
    expect(verifyShopperCookie(secret, `${b}.${'A'.repeat(signatureOfA.length)}`)).toBeUndefined();
    expect(verifyShopperCookie('another-secret', `${a}.${signatureOfA}`)).toBeUndefined();
  });
});
