/**
 * Cancel and resume of a shopper's subscription, and the checkout session a returning shopper
 * gets again, must not let anyone grow the database: a 404 for a subscription that is not the
 * shopper's, and a resumed session, change nothing and keep no row under their Idempotency-Key,
 * and cancel/resume are counted like saved-card requests (`limits/rules.ts` `cards`), so a burst
 * of fresh keys ends in 429 like the others.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, newKey } from '../harness.ts';
import { expectLimited, FakeClock, limits, Tab } from './support.ts';

const MINUTE = 60_000;
let h: Harness;
beforeAll(async () => {
  h = await harness({
    now: new FakeClock().now,
    overrides: {
      limits: limits({
        cardsPerIp: { max: 6, windowMs: MINUTE },
        cardsPerShopper: { max: 3, windowMs: MINUTE },
      }),
    },
  });
});
afterAll(() => h.close());

/** Rows kept under `key`, whoever's. */
async function rowsUnder(key: string): Promise<number> {
  const r = await h.stub.db.query(
    'SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1',
    [key],
  );
  return Number((r.rows[0] as { n: number }).n);
}

/** A shopper at `ip` with a monthly plan. */
async function subscriber(ip: string) {
  const tab = new Tab(h, ip);
  const paid = await tab.payNew({ id: 'pro-monthly' });
  expect(paid.status).toBe(201);
  return { tab, subId: String(paid.body.subscription.id) };
}

describe('a subscription that is not the shopper’s', () => {
  it('is 404 and keeps no row under the key, for cancel and resume alike', async () => {
    const { subId: theirs } = await subscriber('198.51.100.80');
    for (const path of [
      '/api/subscriptions/sub_nope/cancel',
      '/api/subscriptions/sub_nope/resume',
      `/api/subscriptions/${theirs}/cancel`,
      `/api/subscriptions/${theirs}/resume`,
    ]) {
      const key = newKey();
      const r = await new Tab(h, '198.51.100.81').request(
        'POST',
        path,
        {},
        { 'idempotency-key': key },
      );
      expect([r.status, r.body.error.code]).toEqual([404, 'subscription_not_found']);
      expect(await rowsUnder(key)).toBe(0);
    }
  });

  it('runs again with the same key: nothing was stored to replay', async () => {
    const tab = new Tab(h, '198.51.100.82');
    const key = { 'idempotency-key': newKey() };
    const first = await tab.request('POST', '/api/subscriptions/sub_gone/cancel', {}, key);
    const again = await tab.request('POST', '/api/subscriptions/sub_gone/cancel', {}, key);
    expect([first.status, again.status]).toEqual([404, 404]);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
  });
});

describe('a shopper’s own cancellation', () => {
  it('is kept under its key and replayed, as before', async () => {
    const { tab, subId } = await subscriber('198.51.100.83');
    const key = { 'idempotency-key': newKey() };
    const first = await tab.request('POST', `/api/subscriptions/${subId}/cancel`, {}, key);
    expect([first.status, first.body.subscription.status]).toEqual([200, 'canceled']);
    const again = await tab.request('POST', `/api/subscriptions/${subId}/cancel`, {}, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await rowsUnder(key['idempotency-key'])).toBe(1);
  });
});

describe('a burst of cancel and resume', () => {
  it('from one cookie ends in 429 rate_limited with Retry-After, and the 429 keeps no row', async () => {
    const tab = new Tab(h, '198.51.100.84');
    for (const path of ['sub_a/cancel', 'sub_b/resume', 'sub_c/cancel']) {
      expect((await tab.request('POST', `/api/subscriptions/${path}`, {})).status).toBe(404);
    }
    const key = newKey();
    expectLimited(
      await tab.request('POST', '/api/subscriptions/sub_d/resume', {}, { 'idempotency-key': key }),
      'rate_limited',
    );
    expect(await rowsUnder(key)).toBe(0);
    // The same budget as the saved-card requests: one of those is refused now too.
    expectLimited(await tab.request('GET', '/api/payment-methods'), 'rate_limited');
  });

  it('from one address with a fresh cookie each time ends in 429 too', async () => {
    const ip = '198.51.100.85';
    for (let i = 0; i < 6; i++) {
      const path = `/api/subscriptions/sub_${i}/${i % 2 ? 'resume' : 'cancel'}`;
      expect((await new Tab(h, ip).request('POST', path, {})).status).toBe(404);
    }
    expectLimited(
      await new Tab(h, ip).request('POST', '/api/subscriptions/sub_x/cancel', {}),
      'rate_limited',
    );
  });
});

describe('a resumed checkout session', () => {
  it('keeps no row under its key; the same key resumes it again', async () => {
    const tab = new Tab(h, '198.51.100.86');
    const first = await tab.session();
    const key = newKey();
    for (let i = 0; i < 2; i++) {
      const r = await tab.startSession({ 'idempotency-key': key });
      expect([r.status, r.body.sessionId]).toEqual([201, first.sessionId]);
      expect(r.headers.get('idempotent-replayed')).toBeNull();
      expect(await rowsUnder(key)).toBe(0);
    }
  });
});
