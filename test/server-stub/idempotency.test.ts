import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { admin, type Harness, harness, Shopper, upstreamCalls } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  // Duplicates poll the database for the first result; a real sleep lets the winner finish.
  h = await harness({ sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.reset());

const sales = async () =>
  (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments');

async function prepared() {
  const s = new Shopper(h);
  const session = await s.session();
  const transientToken = await s.token(session.captureContext);
  return { s, body: { sessionId: session.sessionId, transientToken, item: { id: 'tshirt' } } };
}

describe('idempotency', () => {
  it('replays the first result for the same key and body', async () => {
    const { s, body } = await prepared();
    const headers = { 'idempotency-key': 'replay-1' };
    const first = await s.request('POST', '/api/checkout/payments', body, headers);
    const again = await s.request(
      'POST',
      '/api/checkout/payments',
      { ...body, item: { id: 'tshirt' } },
      headers,
    );
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    // Byte for byte, keys in their first order: a client may compare or hash the answers.
    expect(again.text).toBe(first.text);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await sales()).toHaveLength(1);
  });

  it('replays a decline too', async () => {
    const s = new Shopper(h);
    const session = await s.session();
    const transientToken = await s.token(session.captureContext);
    const body = {
      sessionId: session.sessionId,
      transientToken,
      item: { id: 'donation', amount: 210_000 },
    };
    const headers = { 'idempotency-key': 'replay-decline' };
    const first = await s.request('POST', '/api/checkout/payments', body, headers);
    const again = await s.request('POST', '/api/checkout/payments', body, headers);
    expect([first.status, again.status]).toEqual([402, 402]);
    expect(await sales()).toHaveLength(1);
  });

  it('answers 422 idempotency_key_reused for the same key with a different body', async () => {
    const { s, body } = await prepared();
    const headers = { 'idempotency-key': 'reused-1' };
    await s.request('POST', '/api/checkout/payments', body, headers);
    const other = await s.request(
      'POST',
      '/api/checkout/payments',
      { ...body, savePaymentMethod: true },
      headers,
    );
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await sales()).toHaveLength(1);
  });

  it('answers 422 idempotency_key_reused for the same key and body on another path', async () => {
    const a = (await new Shopper(h).payNewCard({ id: 'tshirt' })).body.payment.id;
    const b = (await new Shopper(h).payNewCard({ id: 'tshirt' })).body.payment.id;
    const call = admin(h);
    const headers = { 'idempotency-key': 'refund-a' };
    const first = await call('POST', `/api/admin/payments/${a}/refunds`, { amount: 100 }, headers);
    expect(first.status).toBe(201);
    const other = await call('POST', `/api/admin/payments/${b}/refunds`, { amount: 100 }, headers);
    expect([other.status, other.body.error?.code]).toEqual([422, 'idempotency_key_reused']);
    expect((await call('GET', `/api/admin/payments/${b}`)).body.payment.refundedAmount).toBe(0);
    const refunds = (await upstreamCalls(h)).filter((c) => c.path.endsWith('/refunds'));
    expect(refunds).toHaveLength(1);
  });

  it('keeps keys per shopper: the same key from two shoppers is two requests', async () => {
    const a = await prepared();
    const b = await prepared();
    const headers = { 'idempotency-key': 'shared-key' };
    expect((await a.s.request('POST', '/api/checkout/payments', a.body, headers)).status).toBe(201);
    expect((await b.s.request('POST', '/api/checkout/payments', b.body, headers)).status).toBe(201);
    expect(await sales()).toHaveLength(2);
  });

  it('sends exactly one sale for 50 concurrent duplicates, and all get its result', async () => {
    const { s, body } = await prepared();
    const headers = { 'idempotency-key': 'concurrent-50' };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => s.request('POST', '/api/checkout/payments', body, headers)),
    );
    expect(await sales()).toHaveLength(1);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(results.map((r) => r.body.payment.id)).size).toBe(1);
  });

  it('does not store a request that failed validation', async () => {
    const { s, body } = await prepared();
    const headers = { 'idempotency-key': 'invalid-first' };
    const bad = await s.request('POST', '/api/checkout/payments', { ...body, extra: 1 }, headers);
    expect(bad.status).toBe(400);
    const good = await s.request('POST', '/api/checkout/payments', body, headers);
    expect(good.status).toBe(201);
  });
});
