/**
 * Fuzzing the merchant endpoints: wrong or missing bearer tokens, hostile queries, unknown ids
 * and hostile bodies against a real refundable payment and a real renewable subscription. Never
 * a 5xx; a refused request never reaches CyberSource. The last test refunds and renews for
 * real, which proves the targets stayed refundable and renewable throughout.
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey, VISA } from '../server-stub/harness.ts';
import {
  badAuthorization,
  badIdempotencyKey,
  contentType,
  hostileJson,
  malformedJson,
  oversizedBody,
  pollutionJson,
  weirdPathId,
  weirdQuery,
} from './arbitraries.ts';
import {
  ADMIN_TOKEN,
  expectNo5xx,
  expectNoUpstreamSince,
  expectRefused,
  fuzzOptions,
  mark,
  ORIGIN,
  type RawRequest,
  type StubUnderTest,
  send,
  stubUnderTest,
} from './support.ts';

let h: StubUnderTest;
let paymentId: string;
let subscriptionId: string;

async function payNewCard(item: { id: string }) {
  const started = await h.stub.app.request(`${ORIGIN}/api/checkout/sessions`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'idempotency-key': newKey() },
  });
  const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = (await started.json()) as { sessionId: string; captureContext: string };
  const minted = await h.emulatorFetch('http://localhost:4010/__emulator/transient-tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ captureContext: session.captureContext, card: VISA }),
  });
  const { transientToken } = (await minted.json()) as { transientToken: string };
  const paid = await h.stub.app.request(`${ORIGIN}/api/checkout/payments`, {
    method: 'POST',
    headers: { origin: ORIGIN, cookie, 'idempotency-key': newKey() },
    body: JSON.stringify({ sessionId: session.sessionId, transientToken, item }),
  });
  expect(paid.status).toBe(201);
  return (await paid.json()) as { payment: { id: string }; subscription?: { id: string } };
}

beforeAll(async () => {
  h = await stubUnderTest();
  paymentId = (await payNewCard({ id: 'tshirt' })).payment.id;
  const plan = await payNewCard({ id: 'pro-monthly' });
  subscriptionId = plan.subscription?.id ?? '';
  expect(subscriptionId).toMatch(/^sub_/);
});
afterAll(() => h.close());

const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };

const adminPost = (
  path: string,
  body: string | undefined,
  extra: Record<string, string> = {},
): RawRequest => ({
  method: 'POST',
  path,
  headers: { ...bearer, 'content-type': 'application/json', 'idempotency-key': newKey(), ...extra },
  ...(body === undefined ? {} : { body }),
});

/** Every merchant endpoint, with a well-formed request for it. */
const endpoints = (): RawRequest[] => [
  { method: 'GET', path: '/api/admin/payments' },
  { method: 'GET', path: `/api/admin/payments/${paymentId}` },
  { method: 'GET', path: '/api/admin/subscriptions' },
  { method: 'GET', path: `/api/admin/subscriptions/${subscriptionId}` },
  adminPost(`/api/admin/payments/${paymentId}/refunds`, '{"amount":100}'),
  adminPost(`/api/admin/subscriptions/${subscriptionId}/renewals`, '{"period":2}'),
  adminPost(`/api/admin/subscriptions/${subscriptionId}/cancel`, '{}'),
  adminPost(`/api/admin/subscriptions/${subscriptionId}/resume`, '{}'),
];

/** Bodies that are not `{}`, not empty, not `{"amount": <positive integer>}`, not `{"period": <integer>}`. */
const hostileBody = fc
  .oneof(
    { weight: 4, arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? '') },
    {
      weight: 2,
      arbitrary: malformedJson.map((b) =>
        typeof b === 'string' ? b : new TextDecoder().decode(b),
      ),
    },
    { weight: 1, arbitrary: pollutionJson },
    { weight: 1, arbitrary: oversizedBody },
  )
  .filter((text) => {
    if (text.trim() === '') return false;
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return true;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return true;
    const keys = Object.keys(v);
    if (keys.length === 0) return false;
    if (keys.length === 1 && keys[0] === 'amount') {
      const a = (v as { amount: unknown }).amount;
      return !(typeof a === 'number' && Number.isInteger(a) && a > 0);
    }
    // A renewal naming its next period renews; any other period is refused with a 409.
    if (keys.length === 1 && keys[0] === 'period') {
      const p = (v as { period: unknown }).period;
      return !(typeof p === 'number' && Number.isInteger(p));
    }
    return true;
  });

describe('merchant endpoints under hostile input', () => {
  it('every endpoint refuses a missing or wrong bearer token before anything else', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), badAuthorization(ADMIN_TOKEN), async (i, authorization) => {
        const all = endpoints();
        const r = all[i % all.length] as RawRequest;
        const headers = { ...(r.headers ?? {}) };
        delete headers.authorization;
        if (authorization !== undefined) headers.authorization = authorization;
        const m = mark(h);
        const res = await send(h, { ...r, headers });
        expectRefused(h, m, res, `${r.method} ${r.path}`, ['admin_unauthorized']);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }),
      fuzzOptions(100),
    );
  });

  it('GET lists: any query → < 500, no upstream', async () => {
    const before = fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom(
        '0000-01-01T00:00:00Z',
        '0001-01-01T00:00:00Z',
        '9999-12-31T23:59:59.999999999Z',
        '2020-02-30T00:00:00Z',
        '1970-01-01T00:00:00Z',
        '4713-01-01T00:00:00Z',
        'now',
        '',
      ),
    );
    const query = fc.oneof(
      weirdQuery,
      fc
        .record(
          {
            limit: fc.oneof(
              fc.integer({ min: -5, max: 10_000 }).map(String),
              fc.constantFrom('', '1e2', '0x10', '050', ' 5'),
            ),
            status: fc.oneof(
              fc.constantFrom('pending', 'succeeded', 'review', 'declined', 'failed', 'unknown'),
              fc.string({ maxLength: 12 }),
            ),
            before,
          },
          { requiredKeys: [] },
        )
        .map((q) => new URLSearchParams(q).toString()),
    );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), query, async (payments, q) => {
        const path = `/api/admin/${payments ? 'payments' : 'subscriptions'}?${q}`;
        const m = mark(h);
        const res = await send(h, { method: 'GET', path, headers: bearer });
        expectNo5xx(res, path);
        expectNoUpstreamSince(h, m, path);
      }),
      fuzzOptions(150),
    );
  });

  it('GET by id: unknown and hostile ids, any query → 4xx, no upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        weirdPathId,
        fc.option(weirdQuery, { nil: undefined }),
        async (payments, id, q) => {
          const path = `/api/admin/${payments ? 'payments' : 'subscriptions'}/${id}${q === undefined ? '' : `?${q}`}`;
          const m = mark(h);
          const res = await send(h, { method: 'GET', path, headers: bearer });
          expectNo5xx(res, path);
          expectNoUpstreamSince(h, m, path);
        },
      ),
      fuzzOptions(100),
    );
  });

  it('POST refunds and renewals on unknown ids → 4xx, no upstream', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), weirdPathId, async (refund, id) => {
        const path = refund
          ? `/api/admin/payments/${id}/refunds`
          : `/api/admin/subscriptions/${id}/renewals`;
        const m = mark(h);
        const res = await send(h, adminPost(path, refund ? '{"amount":100}' : '{"period":2}'));
        expectRefused(h, m, res, path);
      }),
      fuzzOptions(100),
    );
  });

  it('POST refunds, renewals and cancellations with a hostile body → refused before CyberSource', async () => {
    const paths = [
      `/api/admin/payments/${paymentId}/refunds`,
      `/api/admin/subscriptions/${subscriptionId}/renewals`,
      // Refused before anything changes: the subscription the later properties renew stays live.
      `/api/admin/subscriptions/${subscriptionId}/cancel`,
      `/api/admin/subscriptions/${subscriptionId}/resume`,
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        hostileBody,
        contentType,
        async (path, body, type) => {
          const m = mark(h);
          const res = await send(
            h,
            adminPost(path, body, type === undefined ? {} : { 'content-type': type }),
          );
          expectRefused(h, m, res, path);
        },
      ),
      fuzzOptions(150),
    );
  });

  it('POST refunds: amounts that are not a refundable positive integer → refused before CyberSource', async () => {
    const raw = fc.oneof(
      fc.constantFrom(
        '0',
        '-0',
        '-1',
        '1.5',
        '1e309',
        '-1e309',
        '1e-7',
        '"100"',
        'null',
        '[100]',
        'true',
        '99999999999999999999',
      ),
      fc.integer({ min: -(2 ** 31), max: 0 }).map(String),
      // More than the 2500 captured: refused by the money rule, not the schema.
      fc.integer({ min: 2501, max: 2 ** 53 - 1 }).map(String),
      fc.double({ noInteger: true }).map((d) => (Number.isFinite(d) ? JSON.stringify(d) : '0.5')),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (amount) => {
        const m = mark(h);
        const res = await send(
          h,
          adminPost(`/api/admin/payments/${paymentId}/refunds`, `{"amount":${amount}}`),
        );
        expectRefused(h, m, res, `refund ${amount}`, [
          'invalid_request',
          'refund_exceeds_available',
        ]);
      }),
      fuzzOptions(100),
    );
  });

  it('POST refunds and renewals with a bad Idempotency-Key → refused before CyberSource', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.option(badIdempotencyKey, { nil: undefined }),
        async (refund, key) => {
          const r = refund
            ? adminPost(`/api/admin/payments/${paymentId}/refunds`, '{"amount":100}')
            : adminPost(`/api/admin/subscriptions/${subscriptionId}/renewals`, '{"period":2}');
          const headers = { ...(r.headers ?? {}) };
          delete headers['idempotency-key'];
          if (key !== undefined) headers['idempotency-key'] = key;
          const m = mark(h);
          const res = await send(h, { ...r, headers });
          expectRefused(h, m, res, r.path, ['idempotency_key_missing', 'idempotency_key_invalid']);
        },
      ),
      fuzzOptions(60),
    );
  });

  it('refunds and renews for real: the targets stayed usable through the fuzzing', async () => {
    const refunds = () => h.upstream.filter((c) => c.path.endsWith('/refunds')).length;
    const payments = () => h.upstream.filter((c) => c.path === '/pts/v2/payments').length;
    const [r0, p0] = [refunds(), payments()];
    const refund = await send(
      h,
      adminPost(`/api/admin/payments/${paymentId}/refunds`, '{"amount":100}'),
    );
    expect(refund.status, refund.text).toBe(201);
    const renewal = await send(
      h,
      adminPost(`/api/admin/subscriptions/${subscriptionId}/renewals`, '{"period":2}'),
    );
    expect(renewal.status, renewal.text).toBe(201);
    expect([refunds() - r0, payments() - p0]).toEqual([1, 1]);
  });
});
