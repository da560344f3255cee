/**
 * Canceling a subscription (server-stub/README.md "Canceling a subscription"): the merchant from
 * the panel, the shopper their own; renewals stop, the paid period stands, nothing is sent to
 * CyberSource.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import {
  admin,
  forgetUpstreamCalls,
  type Harness,
  harness,
  holdingSales,
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

const DAY = 24 * 3600_000;

async function subscribed(s = new Shopper(h)) {
  const r = await s.payNewCard({ id: 'pro-monthly' });
  expect(r.status).toBe(201);
  return { shopper: s, sub: r.body.subscription as { id: string; paymentMethodId: string } };
}

/** The renew-due command on the same database and emulator, `days` later (both clocks). */
async function renewDueLater(days: number) {
  const clock = (offsetMs: number) =>
    h.emulatorFetch('http://localhost:4010/__emulator/clock', {
      method: 'PUT',
      body: JSON.stringify({ offsetMs }),
    });
  const offsetMs = days * DAY;
  await clock(offsetMs);
  const later = await harness({
    db: h.stub.db,
    fetch: h.emulatorFetch,
    now: () => new Date(Date.now() + offsetMs),
  });
  try {
    return await renewDue(later.stub);
  } finally {
    await later.close();
    await clock(0);
  }
}

describe('the merchant cancels', () => {
  it('stops every renewal; the paid period stands and the card can go', async () => {
    const { shopper, sub } = await subscribed();
    await forgetUpstreamCalls(h);
    const key = newKey();
    const r = await admin(h)(
      'POST',
      `/api/admin/subscriptions/${sub.id}/cancel`,
      {},
      {
        'idempotency-key': key,
      },
    );
    expect(r.status).toBe(200);
    expect(r.body.subscription).toMatchObject({ id: sub.id, status: 'canceled', currentPeriod: 1 });
    expect(Date.parse(r.body.subscription.canceledAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(r.body.subscription.renewal.nextAttemptAt).toBeNull();
    // Nothing for CyberSource to do: renewals are ours to send, and we stop sending them.
    expect(await upstreamCalls(h)).toEqual([]);

    // "Renew now" and renew-due, a month on, both leave it alone.
    const renew = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect([renew.status, renew.body.error.code]).toEqual([409, 'subscription_not_renewable']);
    const report = await renewDueLater(32);
    expect(report.renewed).not.toContain(sub.id);
    expect(report.failed.map((f) => f.id)).not.toContain(sub.id);
    expect((await upstreamCalls(h)).filter((c) => c.path === '/pts/v2/payments')).toEqual([]);

    // No live subscription renews with the card now, so the shopper may remove it.
    const gone = await shopper.request('DELETE', `/api/payment-methods/${sub.paymentMethodId}`);
    expect(gone.status).toBe(204);
  });

  it('answers a repeat with the first cancellation, and a new key with the same subscription', async () => {
    const { sub } = await subscribed();
    const key = newKey();
    const path = `/api/admin/subscriptions/${sub.id}/cancel`;
    const first = await admin(h)('POST', path, {}, { 'idempotency-key': key });
    const replay = await admin(h)('POST', path, {}, { 'idempotency-key': key });
    expect(replay).toEqual(first);
    const again = await admin(h)('POST', path, undefined);
    expect(again.status).toBe(200);
    expect(again.body.subscription.canceledAt).toBe(first.body.subscription.canceledAt);
  });

  it('stops the retries of a past-due subscription', async () => {
    const { sub } = await subscribed();
    const due = new Date(Date.now() + DAY);
    await h.stub.db.query(
      `UPDATE subscriptions SET status = 'past_due', renewal_attempts = 1, next_renewal_at = $2
       WHERE id = $1`,
      [sub.id, due],
    );
    const r = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/cancel`, {});
    expect(r.body.subscription).toMatchObject({
      status: 'canceled',
      renewal: { attempts: 1, nextAttemptAt: null },
    });
    expect((await renewDueLater(32)).renewed).not.toContain(sub.id);
  });

  it('records a renewal already sent, and the subscription stays canceled', async () => {
    const { sub } = await subscribed();
    // The renewal's sale is held at the gate until the cancellation has landed.
    const { stub: g, sent, release } = await holdingSales(h);
    try {
      const renewing = admin(g)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
        period: 2,
      });
      await sent;
      const canceled = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/cancel`, {});
      expect(canceled.body.subscription.status).toBe('canceled');
      // The answer says what it could not stop.
      expect(canceled.body.renewalInFlight).toMatchObject({ period: 2, status: 'pending' });
      release();
      const renewed = await renewing;
      expect(renewed.status).toBe(201);
      expect(renewed.body.payment.status).toBe('succeeded');
      // Paid for period 2 (the merchant may refund it), and never revived.
      expect(renewed.body.subscription).toMatchObject({ status: 'canceled', currentPeriod: 2 });
      expect(g.logs.text).toContain(
        'renewal approved after the subscription was canceled; refund it if the period is not owed',
      );
    } finally {
      await g.close();
    }
  });

  it('sends nothing when it lands after the renewal read the subscription but before its row', async () => {
    const { sub } = await subscribed();
    let armed = true;
    const db = h.stub.db;
    const g = await harness({
      db: {
        ...db,
        query: async (sql: string, params?: unknown[]) => {
          // The renewal has read the subscription (live) and is about to write its row.
          if (armed && sql.includes('INSERT INTO payments')) {
            armed = false;
            const r = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/cancel`, {});
            expect(r.body).not.toHaveProperty('renewalInFlight');
          }
          return db.query(sql, params);
        },
      },
      fetch: h.emulatorFetch,
    });
    try {
      await forgetUpstreamCalls(h);
      const r = await admin(g)('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
        period: 2,
      });
      expect(armed).toBe(false);
      expect([r.status, r.body.error.code]).toEqual([409, 'subscription_not_renewable']);
      expect((await upstreamCalls(h)).filter((c) => c.path === '/pts/v2/payments')).toEqual([]);
    } finally {
      await g.close();
    }
  });

  it('refuses an unknown subscription, a body with fields, and no token', async () => {
    const unknown = await admin(h)('POST', '/api/admin/subscriptions/sub_nope/cancel', {});
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'subscription_not_found']);
    const { sub } = await subscribed();
    const fields = await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/cancel`, {
      atPeriodEnd: true,
    });
    expect([fields.status, fields.body.error.code]).toEqual([400, 'invalid_request']);
    const anonymous = await admin(h, '')('POST', `/api/admin/subscriptions/${sub.id}/cancel`, {});
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'admin_unauthorized']);
    const still = await admin(h)('GET', `/api/admin/subscriptions/${sub.id}`);
    expect(still.body.subscription).toMatchObject({ status: 'active', canceledAt: null });
  });
});

describe('the shopper cancels', () => {
  it('lists their own subscriptions and cancels one, never another shopper’s', async () => {
    const { shopper, sub } = await subscribed();
    const { shopper: other, sub: theirs } = await subscribed();

    const mine = await shopper.request('GET', '/api/subscriptions');
    expect(mine.status).toBe(200);
    expect(mine.body.subscriptions.map((s: { id: string }) => s.id)).toEqual([sub.id]);
    expect(mine.body.subscriptions[0]).toMatchObject({
      planId: 'pro-monthly',
      status: 'active',
      canceledAt: null,
    });
    // What the shopper sees of it: no merchant or CyberSource ids.
    expect(mine.body.subscriptions[0]).not.toHaveProperty('customerId');
    expect(mine.body.subscriptions[0]).not.toHaveProperty('shopperId');

    const refused = await shopper.request('POST', `/api/subscriptions/${theirs.id}/cancel`, {});
    expect([refused.status, refused.body.error.code]).toEqual([404, 'subscription_not_found']);
    expect((await other.request('GET', '/api/subscriptions')).body.subscriptions[0].status).toBe(
      'active',
    );

    const canceled = await shopper.request('POST', `/api/subscriptions/${sub.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body.subscription).toMatchObject({ id: sub.id, status: 'canceled' });
    expect(canceled.body.subscription).not.toHaveProperty('customerId');
    const after = await shopper.request('GET', '/api/subscriptions');
    expect(after.body.subscriptions[0].status).toBe('canceled');
    // Canceled, the plan can be bought again.
    const again = await shopper.payNewCard({ id: 'pro-monthly' });
    expect(again.status).toBe(201);
    const both = await shopper.request('GET', '/api/subscriptions');
    expect(both.body.subscriptions.map((s: { status: string }) => s.status)).toEqual([
      'active',
      'canceled',
    ]);
  });

  it('needs an Idempotency-Key and an allowed origin, like every shopper POST', async () => {
    const { shopper, sub } = await subscribed();
    const noKey = await shopper.request(
      'POST',
      `/api/subscriptions/${sub.id}/cancel`,
      {},
      {
        'idempotency-key': '',
      },
    );
    expect([noKey.status, noKey.body.error.code]).toEqual([400, 'idempotency_key_missing']);
    const foreign = new Shopper(h, 'https://evil.example');
    foreign.cookie = shopper.cookie;
    const cross = await foreign.request('POST', `/api/subscriptions/${sub.id}/cancel`, {});
    expect([cross.status, cross.body.error.code]).toEqual([403, 'origin_not_allowed']);
    expect((await shopper.request('GET', '/api/subscriptions')).body.subscriptions[0].status).toBe(
      'active',
    );
  });
});

describe('taking a cancellation back', () => {
  const resume = (s: Shopper, id: string) => s.request('POST', `/api/subscriptions/${id}/resume`);

  it('renews at the paid period’s end as before, and holds the card again', async () => {
    const { shopper, sub } = await subscribed();
    const { shopper: other } = await subscribed();
    await shopper.request('POST', `/api/subscriptions/${sub.id}/cancel`);
    await forgetUpstreamCalls(h);

    // Not another shopper's to take back.
    const theirs = await resume(other, sub.id);
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'subscription_not_found']);

    const r = await resume(shopper, sub.id);
    expect(r.status).toBe(200);
    expect(r.body.subscription).toMatchObject({
      id: sub.id,
      status: 'active',
      canceledAt: null,
      currentPeriod: 1,
    });
    expect(r.body.subscription).not.toHaveProperty('customerId');
    // Nothing charged now: the period stands paid.
    expect(await upstreamCalls(h)).toEqual([]);
    // Resuming one that renews already changes nothing.
    const again = await resume(shopper, sub.id);
    expect([again.status, again.body.subscription.status]).toEqual([200, 'active']);

    // The card pays a live subscription again: it cannot be removed from under it.
    const gone = await shopper.request('DELETE', `/api/payment-methods/${sub.paymentMethodId}`);
    expect([gone.status, gone.body.error.code]).toEqual([409, 'payment_method_in_use']);
    expect((await renewDueLater(32)).renewed).toContain(sub.id);
  });

  it('is refused once the paid period has ended: the plan is bought again', async () => {
    const { shopper, sub } = await subscribed();
    await shopper.request('POST', `/api/subscriptions/${sub.id}/cancel`);
    await h.stub.db.query(
      `UPDATE subscriptions SET current_period_end = now() - interval '1 minute' WHERE id = $1`,
      [sub.id],
    );
    const r = await resume(shopper, sub.id);
    expect([r.status, r.body.error.code, r.body.error.details.reason]).toEqual([
      409,
      'subscription_not_resumable',
      'period_ended',
    ]);
    expect(r.body.error.message).toContain('buy the plan again');
    expect((await shopper.request('GET', '/api/subscriptions')).body.subscriptions[0].status).toBe(
      'canceled',
    );
  });

  it('is refused beside a second subscription to the plan, and once the card is removed', async () => {
    const bought = await subscribed();
    await bought.shopper.request('POST', `/api/subscriptions/${bought.sub.id}/cancel`);
    expect((await bought.shopper.payNewCard({ id: 'pro-monthly' })).status).toBe(201);
    const twice = await resume(bought.shopper, bought.sub.id);
    expect([twice.status, twice.body.error.details?.reason]).toEqual([409, 'subscribed_again']);

    const removed = await subscribed();
    await removed.shopper.request('POST', `/api/subscriptions/${removed.sub.id}/cancel`);
    const del = await removed.shopper.request(
      'DELETE',
      `/api/payment-methods/${removed.sub.paymentMethodId}`,
    );
    expect(del.status).toBe(204);
    const noCard = await resume(removed.shopper, removed.sub.id);
    expect([noCard.status, noCard.body.error.details?.reason]).toEqual([409, 'card_removed']);
    expect((await renewDueLater(32)).renewed).not.toContain(removed.sub.id);
  });

  it('is the merchant’s to take back too, answered with the panel’s view and replayed by its key', async () => {
    const { sub } = await subscribed();
    await admin(h)('POST', `/api/admin/subscriptions/${sub.id}/cancel`, {});
    const key = newKey();
    const path = `/api/admin/subscriptions/${sub.id}/resume`;
    const r = await admin(h)('POST', path, {}, { 'idempotency-key': key });
    expect(r.status).toBe(200);
    expect(r.body.subscription).toMatchObject({
      status: 'active',
      canceledAt: null,
      renewal: { nextAttemptAt: r.body.subscription.currentPeriodEnd, inFlight: null },
    });
    expect(await admin(h)('POST', path, {}, { 'idempotency-key': key })).toEqual(r);
    const unauthorized = await admin(h, '')('POST', path, {});
    expect(unauthorized.status).toBe(401);
    const withFields = await admin(h)('POST', path, { now: true });
    expect([withFields.status, withFields.body.error.code]).toEqual([400, 'invalid_request']);
  });
});
