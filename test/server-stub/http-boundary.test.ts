/**
 * The HTTP boundary's edges (server-stub/http/): a path spelled with percent-escapes is the
 * route it decodes to for the origin rule and the Idempotency-Key; writes take no query string
 * (and a removal no body); an oversized body from an allowed site carries the CORS headers its
 * page needs to read the 400; a merchant path that names nothing is a plain 404.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Harness, harness, newKey, Shopper, upstreamCalls } from './harness.ts';

const SITE = 'https://shop.example';
let h: Harness;
beforeAll(async () => {
  h = await harness({ env: { CHECKOUT_ALLOWED_SITES: SITE } });
});
afterAll(() => h.close());

async function raw(method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await h.stub.app.request(`http://localhost:3000${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

it('requires an Origin for a capture context however the path is spelled', async () => {
  const before = (await upstreamCalls(h)).length;
  for (const path of [
    '/api/checkout/sessions',
    '/api/checkout/%73essions',
    '/api/%63heckout/sessions',
  ]) {
    const r = await raw('POST', path, { 'idempotency-key': newKey() }, '{}');
    expect([path, r.status, r.body.error.code]).toEqual([path, 403, 'origin_not_allowed']);
  }
  expect((await upstreamCalls(h)).length).toBe(before);
});

it('replays one Idempotency-Key across spellings of one path', async () => {
  const s = new Shopper(h);
  const key = newKey();
  const first = await s.request('POST', '/api/checkout/sessions', {}, { 'idempotency-key': key });
  const again = await s.request('POST', '/api/checkout/%73essions', {}, { 'idempotency-key': key });
  expect(first.status).toBe(201);
  expect(again.status).toBe(201);
  expect(again.body.sessionId).toBe(first.body.sessionId);
});

it('refuses a query string on every write, and a body on a removal, before any upstream call', async () => {
  const s = new Shopper(h);
  await s.session(); // the shopper cookie
  const before = (await upstreamCalls(h)).length;
  const shopper: [string, string, string?][] = [
    ['POST', '/api/checkout/sessions?evil=1', '{}'],
    ['POST', '/api/checkout/payments?x=1', '{}'],
    ['PUT', '/api/payment-methods/pi_1/default?x=1', '{}'],
    ['DELETE', '/api/payment-methods/pi_1?4111111111111111=1'],
    ['DELETE', '/api/payment-methods/pi_1', 'not json at all'],
    ['POST', '/api/subscriptions/sub_1/cancel?x=1', '{}'],
  ];
  for (const [method, path, body] of shopper) {
    const r = await s.request(method, path, body);
    expect([method, path, r.status]).toEqual([method, path, 400]);
    expect(JSON.stringify(r.body)).not.toContain('4111111111111111');
  }
  const merchant = ['/payments/pay_1/refunds', '/subscriptions/sub_1/renewals', '/renew-due'];
  for (const path of merchant) {
    const r = await raw(
      'POST',
      `/api/admin${path}?x=1`,
      { authorization: `Bearer ${ADMIN_TOKEN}`, 'idempotency-key': newKey() },
      '{}',
    );
    expect([path, r.status, r.body.error.code]).toEqual([path, 400, 'invalid_request']);
  }
  expect((await upstreamCalls(h)).length).toBe(before);
});

it("answers an allowed site's oversized body with CORS headers, and another origin 403", async () => {
  const big = JSON.stringify({ pad: 'x'.repeat(20_000) });
  const ok = await raw(
    'POST',
    '/api/checkout/sessions',
    { origin: SITE, 'content-type': 'application/json', 'idempotency-key': newKey() },
    big,
  );
  expect(ok.status).toBe(400);
  expect(ok.body.error.code).toBe('body_too_large');
  expect(ok.headers.get('access-control-allow-origin')).toBe(SITE);
  const other = await raw(
    'POST',
    '/api/checkout/sessions',
    { origin: 'https://evil.example', 'idempotency-key': newKey() },
    big,
  );
  expect(other.status).toBe(403);
});

/** A body that never ends (64 KiB chunks, up to 64 MiB), counting the bytes the stub pulled. */
function endlessBody() {
  let pulled = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += chunk.byteLength;
      if (pulled > 64 * 1024 * 1024) controller.close();
      else controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => pulled };
}

it('stops reading a streamed body with no length once past the limit, shopper and merchant', async () => {
  const shopperHeaders = { origin: SITE, 'content-type': 'application/json' };
  const merchantHeaders = {
    authorization: `Bearer ${ADMIN_TOKEN}`,
    'content-type': 'application/json',
  };
  for (const [path, headers] of [
    ['/api/checkout/payments', shopperHeaders],
    ['/api/admin/renew-due', merchantHeaders],
  ] as const) {
    const body = endlessBody();
    const res = await h.stub.app.request(`http://localhost:3000${path}`, {
      method: 'POST',
      headers: { ...headers, 'idempotency-key': newKey() },
      body: body.stream,
      duplex: 'half',
    } as RequestInit);
    const code = ((await res.json()) as { error: { code: string } }).error.code;
    expect([path, res.status, code]).toEqual([path, 400, 'body_too_large']);
    // Not buffered whole: well under 1 MiB read of the 64 MiB offered.
    expect([path, body.pulled() < 1024 * 1024]).toEqual([path, true]);
  }
});

it('answers a merchant path that names nothing 404, without a shopper cookie', async () => {
  const r = await raw('GET', '/api/admin/payment', {
    authorization: `Bearer ${ADMIN_TOKEN}`,
    origin: 'https://evil.example',
  });
  expect(r.status).toBe(404);
  expect(r.body.error.code).toBe('not_found');
  expect(r.headers.get('set-cookie')).toBeNull();
  // Still the merchant's: no token, no answer.
  expect((await raw('GET', '/api/admin/payment', {})).status).toBe(401);
});

it('answers a path of ours under a method it does not take 405 with Allow, and charges nothing', async () => {
  const before = (await upstreamCalls(h)).length;
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const del = await raw('DELETE', '/api/admin/subscriptions/sub_1', admin);
  expect([del.status, del.body.error.code]).toEqual([405, 'method_not_allowed']);
  expect(del.headers.get('allow')).toBe('GET, HEAD');
  expect(del.body.error.details).toEqual({ allowed: ['GET', 'HEAD'] });
  const renew = await raw('GET', '/api/admin/subscriptions/sub_1/renewals', admin);
  expect([renew.status, renew.headers.get('allow')]).toEqual([405, 'POST']);
  // Still the merchant's: no token, no answer.
  expect((await raw('DELETE', '/api/admin/subscriptions/sub_1', {})).status).toBe(401);

  const shopper = { origin: SITE };
  const pay = await raw('GET', '/api/checkout/payments', shopper);
  expect([pay.status, pay.headers.get('allow')]).toEqual([405, 'POST']);
  // From an allowed site, with the CORS headers its page needs to read it.
  expect(pay.headers.get('access-control-allow-origin')).toBe(SITE);
  const card = await raw(
    'POST',
    '/api/payment-methods/pm_1',
    { ...shopper, 'idempotency-key': newKey() },
    '{}',
  );
  expect([card.status, card.headers.get('allow')]).toEqual([405, 'DELETE']);
  // OPTIONS, outside a browser's preflight, is told what the path takes.
  const options = await raw('OPTIONS', '/api/checkout/payments', {});
  expect([options.status, options.headers.get('allow')]).toEqual([204, 'OPTIONS, POST']);
  const adminOptions = await raw('OPTIONS', '/api/admin/subscriptions/sub_1', admin);
  expect([adminOptions.status, adminOptions.headers.get('allow')]).toEqual([
    204,
    'GET, HEAD, OPTIONS',
  ]);
  // A path that is none of ours stays a 404: another spelling (a trailing slash, which the
  // router does not take) included, never a 405 naming the method sent.
  for (const [method, path] of [
    ['POST', '/api/checkout/payments/'],
    ['GET', '/api/catalog/'],
  ] as const) {
    const body = method === 'POST' ? '{}' : undefined;
    const slash = await raw(method, path, { ...shopper, 'idempotency-key': newKey() }, body);
    expect([method, slash.status, slash.headers.get('allow')]).toEqual([method, 404, null]);
  }
  // A route with a pattern in its path (the widget's pinned build) is found as the router does.
  const pinned = await raw('POST', `/widget/${'a'.repeat(64)}/checkout.js`, {});
  expect([pinned.status, pinned.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
  const none = await raw('GET', '/api/checkout/nothing', shopper);
  expect([none.status, none.body.error.code, none.headers.get('allow')]).toEqual([
    404,
    'not_found',
    null,
  ]);
  expect((await upstreamCalls(h)).length).toBe(before);
});

it('refuses a compressed body 415 with Accept-Encoding, before reading it or calling CyberSource', async () => {
  const before = (await upstreamCalls(h)).length;
  const { brotliCompressSync, deflateSync, gzipSync } = await import('node:zlib');
  for (const [coding, body] of [
    ['gzip', gzipSync('{}')],
    ['br', brotliCompressSync('{}')],
    ['deflate', deflateSync('{}')],
  ] as const) {
    const r = await h.stub.app.request('http://localhost:3000/api/checkout/sessions', {
      method: 'POST',
      headers: {
        origin: SITE,
        'content-type': 'application/json',
        'content-encoding': coding,
        'idempotency-key': newKey(),
      },
      body,
    });
    expect([coding, r.status]).toEqual([coding, 415]);
    expect(r.headers.get('accept-encoding')).toBe('identity');
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe(
      'unsupported_content_encoding',
    );
  }
  expect((await upstreamCalls(h)).length).toBe(before);
});

it("keeps a client's X-Request-Id unless a card number could be in it, which never reaches a log", async () => {
  const kept = await raw('GET', '/api/catalog', { 'x-request-id': 'trace-0123abcd' });
  expect(kept.headers.get('x-request-id')).toBe('trace-0123abcd');
  for (const pasted of ['4111111111111111', '4111-1111-1111-1111', 'order.4111.1111.1111.1111']) {
    const r = await raw('GET', '/api/catalog', { 'x-request-id': pasted });
    expect(r.status).toBe(200);
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(h.logs.text).toContain('trace-0123abcd');
  expect(h.logs.text).not.toMatch(/4111.?1111.?1111.?1111/);
});
