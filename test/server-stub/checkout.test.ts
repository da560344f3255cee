import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../../server-stub/store/database.ts';
import { openStore } from '../../server-stub/store/index.ts';
import {
  admin,
  type Harness,
  harness,
  MASTERCARD,
  Shopper,
  upstreamCalls,
  VISA,
} from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.reset());

const paymentCalls = async () =>
  (await upstreamCalls(h)).filter((r) => r.path === '/pts/v2/payments');

describe('checkout sessions', () => {
  it('creates a verified capture context kept under a session id', async () => {
    const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
    expect(r.status).toBe(201);
    expect(r.body.sessionId).toMatch(/^cs_/);
    expect(r.body.captureContext.split('.')).toHaveLength(3);
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());
    const paths = async () => (await upstreamCalls(h)).map((c) => `${c.method} ${c.path}`);
    expect(await paths()).toContain('POST /microform/v2/sessions');
    // The Flex key is asked in parallel and never awaited by the shopper: on a loaded machine the
    // emulator (which makes an RSA key for it) may answer it after the session's answer.
    await expect.poll(paths, { timeout: 5_000 }).toContain('POST /flex/v1/keys');
  });

  it('refuses a foreign origin and a missing origin with 403', async () => {
    const foreign = await new Shopper(h, 'https://evil.example').request(
      'POST',
      '/api/checkout/sessions',
      {},
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('origin_not_allowed');
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const none = await h.stub.app.request('http://localhost:3000/api/checkout/sessions', {
      method: 'POST',
      headers: { 'idempotency-key': 'k-no-origin' },
    });
    expect(none.status).toBe(403);
    // DNS rebinding: a page on attacker.example, resolved to this server, names its own host in
    // both Host and Origin; only the configured origins count.
    const rebound = await h.stub.app.request('http://attacker.example:3000/api/checkout/sessions', {
      method: 'POST',
      headers: {
        origin: 'http://attacker.example:3000',
        'content-type': 'application/json',
        'idempotency-key': 'k-rebound',
      },
      body: '{}',
    });
    expect(rebound.status).toBe(403);
    expect(await upstreamCalls(h)).toEqual([]);
  });

  it('keeps working when the flex key request fails', async () => {
    await h.emulatorFetch('http://localhost:4010/__emulator/faults', {
      method: 'POST',
      body: JSON.stringify({ method: 'POST', path: '/flex/v1/keys', fault: '502', times: 1 }),
    });
    const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
    expect(r.status).toBe(201);
  });

  it('answers 502 gateway_error when CyberSource fails the session call', async () => {
    await h.emulatorFetch('http://localhost:4010/__emulator/faults', {
      method: 'POST',
      body: JSON.stringify({
        method: 'POST',
        path: '/microform/v2/sessions',
        fault: '502',
        times: 1,
      }),
    });
    const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe('gateway_error');
  });
});

describe('new card payments', () => {
  it('charges a guest once, with the transient token and capture, keeping nothing', async () => {
    const s = new Shopper(h);
    const r = await s.payNewCard({ id: 'tshirt' });
    expect(r.status).toBe(201);
    expect(r.body.payment).toMatchObject({
      status: 'succeeded',
      amount: 2500,
      currency: 'USD',
      card: { brand: 'visa', last4: '1111' },
    });
    expect(await paymentCalls()).toHaveLength(1);
    const methods = await s.request('GET', '/api/payment-methods');
    expect(methods.body.paymentMethods).toEqual([]);
  });

  it('answers 402 card_declined with the CyberSource reason', async () => {
    const r = await new Shopper(h).payNewCard({ id: 'donation', amount: 210_200 });
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ code: 'card_declined', reason: 'INSUFFICIENT_FUND' });
    // Which payment, as every other outcome says: a back-office links the decline to its row.
    expect(r.body.payment).toMatchObject({ status: 'declined', amount: 210_200 });
    const list = await admin(h)('GET', '/api/admin/payments?status=declined');
    expect(list.body.payments[0]).toMatchObject({
      id: r.body.payment.id,
      status: 'declined',
      declineReason: 'INSUFFICIENT_FUND',
      amount: 210_200,
    });
  });

  it('asks for the whole amount or nothing: a card that would be partly approved is declined', async () => {
    // 2300.00 is the emulator's partial-approval amount: PARTIAL_AUTHORIZED with half of it
    // held, unless the request says `partialAuthIndicator: false` (emulator/payments/README.md).
    const r = await new Shopper(h).payNewCard({ id: 'donation', amount: 230_000 });
    expect(r.status).toBe(402);
    expect(r.body.error).toMatchObject({ code: 'card_declined', reason: 'INSUFFICIENT_FUND' });
  });

  it('decides the amount on the server: fixed prices cannot change, custom amounts stay in bounds', async () => {
    const s = new Shopper(h);
    // A price or currency other than the catalog's is one the page showed before a change.
    const fixed = await s.payNewCard({ id: 'tshirt', amount: 1 });
    expect([fixed.status, fixed.body.error.code]).toEqual([409, 'price_changed']);
    expect(fixed.body.error.details).toEqual([
      { field: 'item.amount', reason: 'changed', now: 2500 },
    ]);
    const euros = await s.payNewCard({ id: 'donation', amount: 1250, currency: 'EUR' });
    expect([euros.status, euros.body.error.code]).toEqual([409, 'price_changed']);
    const low = await s.payNewCard({ id: 'donation', amount: 99 });
    expect(low.body.error.code).toBe('amount_not_allowed');
    const unknown = await s.payNewCard({ id: 'nope' });
    expect(unknown.body.error.code).toBe('item_not_found');
    expect(await paymentCalls()).toHaveLength(0);
    // What the page showed, as it shows it: paid.
    const shown = await s.payNewCard({ id: 'tshirt', amount: 2500, currency: 'USD' });
    expect(shown.status).toBe(201);
  });

  it('accepts a transient token once only', async () => {
    const s = new Shopper(h);
    const session = await s.session();
    const transientToken = await s.token(session.captureContext);
    const body = { sessionId: session.sessionId, transientToken, item: { id: 'tshirt' } };
    expect((await s.request('POST', '/api/checkout/payments', body)).status).toBe(201);
    const again = await s.request('POST', '/api/checkout/payments', body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('transient_token_used');
    expect(await paymentCalls()).toHaveLength(1);
  });

  it("refuses a token from another session's capture context, and another shopper's session", async () => {
    const a = new Shopper(h);
    const b = new Shopper(h);
    const sa = await a.session();
    const sb = await b.session();
    const tokenFromB = await a.token(sb.captureContext);
    const wrong = await a.request('POST', '/api/checkout/payments', {
      sessionId: sa.sessionId,
      transientToken: tokenFromB,
      item: { id: 'tshirt' },
    });
    expect(wrong.body.error.code).toBe('transient_token_invalid');
    const tokenA = await a.token(sa.captureContext);
    const stolen = await b.request('POST', '/api/checkout/payments', {
      sessionId: sa.sessionId,
      transientToken: tokenA,
      item: { id: 'tshirt' },
    });
    expect(stolen.status).toBe(404);
    expect(stolen.body.error.code).toBe('session_not_found');
    expect(await paymentCalls()).toHaveLength(0);
  });

  it('refuses an expired session before any payment call', async () => {
    const s = new Shopper(h);
    const session = await s.session();
    const transientToken = await s.token(session.captureContext);
    const late = await harness({ now: () => new Date(Date.now() + 16 * 60_000), db: h.stub.db });
    try {
      const r = await late.stub.app.request('http://localhost:3000/api/checkout/payments', {
        method: 'POST',
        headers: {
          origin: 'http://localhost:3000',
          'content-type': 'application/json',
          'idempotency-key': 'late-1',
          cookie: s.cookie ?? '',
        },
        body: JSON.stringify({
          sessionId: session.sessionId,
          transientToken,
          item: { id: 'tshirt' },
        }),
      });
      expect(r.status).toBe(410);
      expect((await r.json()).error.code).toBe('session_expired');
    } finally {
      await late.close();
    }
  });

  it('keeps the card with TOKEN_CREATE and pays with it later', async () => {
    const s = new Shopper(h);
    const first = await s.payNewCard(
      { id: 'tshirt' },
      { savePaymentMethod: true, email: 'a@example.com' },
    );
    expect(first.status).toBe(201);
    const { paymentMethods } = (await s.request('GET', '/api/payment-methods')).body;
    expect(paymentMethods).toHaveLength(1);
    expect(paymentMethods[0]).toMatchObject({ brand: 'visa', last4: '1111', default: true });
    const again = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: paymentMethods[0].id,
      item: { id: 'tshirt' },
    });
    expect(again.status).toBe(201);
    expect(again.body.payment.card).toEqual({ brand: 'visa', last4: '1111' });
  });

  it('never saves the same card twice', async () => {
    const s = new Shopper(h);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
    const { paymentMethods } = (await s.request('GET', '/api/payment-methods')).body;
    expect(paymentMethods.map((m: { last4: string }) => m.last4).sort()).toEqual(['1111', '4444']);
    const deletes = (await upstreamCalls(h)).filter((c) => c.method === 'DELETE');
    expect(deletes.map((d) => d.status)).toEqual([204]);
  });

  it('takes the new expiry of a card saved again after its reissue (same number), for the payments it makes later', async () => {
    const s = new Shopper(h);
    await s.payNewCard(
      { id: 'tshirt' },
      { savePaymentMethod: true },
      { ...VISA, expirationMonth: '01', expirationYear: '2027' },
    );
    const reissued = { ...VISA, expirationMonth: '09', expirationYear: '2033' };
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, reissued);
    const { paymentMethods } = (await s.request('GET', '/api/payment-methods')).body;
    expect(paymentMethods).toHaveLength(1);
    expect(paymentMethods[0]).toMatchObject({ expirationMonth: '09', expirationYear: '2033' });
    // The list is TMS's (`pi.card`), where saved-card payments and renewals take the expiry
    // from; the cached row follows.
    const row = await h.stub.db.query(
      'SELECT expiration_month, expiration_year FROM payment_methods WHERE id = $1',
      [paymentMethods[0].id],
    );
    expect(row.rows).toEqual([{ expiration_month: '09', expiration_year: '2033' }]);
    const deletes = (await upstreamCalls(h)).filter((c) => c.method === 'DELETE');
    expect(deletes).toHaveLength(1);
  });

  it('declines a saved card payment with 402', async () => {
    const s = new Shopper(h);
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    const [method] = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    const r = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: method.id,
      item: { id: 'donation', amount: 210_000 },
    });
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe('card_declined');
  });

  it('marks a timed-out payment unknown and answers 202 without resending it', async () => {
    const unknown: string[] = [];
    const local = await harness({
      timeouts: { paymentMs: 50 },
      onOutcomeUnknown: (e) => unknown.push(e.id),
    });
    try {
      const s = new Shopper(local);
      const session = await s.session();
      const transientToken = await s.token(session.captureContext);
      await local.emulatorFetch('http://localhost:4010/__emulator/faults', {
        method: 'POST',
        body: JSON.stringify({
          method: 'POST',
          path: '/pts/v2/payments',
          fault: 'timeout',
          times: 1,
        }),
      });
      const r = await s.request('POST', '/api/checkout/payments', {
        sessionId: session.sessionId,
        transientToken,
        item: { id: 'tshirt' },
      });
      expect(r.status).toBe(202);
      expect(r.body.error.code).toBe('payment_outcome_unknown');
      expect(r.body.payment.status).toBe('unknown');
      expect(unknown).toEqual([r.body.payment.id]);
      expect(
        (await upstreamCalls(local)).filter((c) => c.path === '/pts/v2/payments'),
      ).toHaveLength(1);
    } finally {
      local.emulator.state.reset();
      await local.close();
    }
  });

  it('treats a 502 on a payment as unknown', async () => {
    const r = await new Shopper(h).payNewCard({ id: 'donation', amount: 200_000 });
    expect(r.status).toBe(202);
    expect(r.body.error.code).toBe('payment_outcome_unknown');
  });
});

describe('after an approved charge', () => {
  it('answers 201 with the payment when starting the subscription fails, and logs it', async () => {
    const real = await openStore({});
    // The database refuses the subscription insert (a constraint, a lost connection…), in a
    // transaction too.
    const refusing =
      (q: Queryable): Queryable['query'] =>
      (sql, params) =>
        sql.trimStart().startsWith('INSERT INTO subscriptions')
          ? Promise.reject(new Error('subscription insert failed'))
          : q.query(sql, params);
    const db: Database = {
      kind: real.kind,
      concurrentTransactions: real.concurrentTransactions,
      query: refusing(real),
      transaction: (fn) => real.transaction((tx) => fn({ query: refusing(tx) })),
      exec: (sql) => real.exec(sql),
      close: () => real.close(),
    };
    const broken = await harness({ db });
    try {
      const s = new Shopper(broken);
      const r = await s.payNewCard({ id: 'pro-monthly' }, {}, VISA);
      expect(r.status).toBe(201);
      expect(r.body.payment).toMatchObject({ status: 'succeeded', amount: 900 });
      expect(r.body.subscription).toBeUndefined();
      const logged = broken.logs.lines
        .map((l) => JSON.parse(l))
        .find((l) => l.msg?.includes('payment approved but'));
      expect(logged?.level).toBe(50);
      expect(broken.logs.text).not.toContain(VISA.number);
    } finally {
      await broken.close();
      await real.close();
    }
  });
});

describe('request validation', () => {
  const cases: [string, string | object, string][] = [
    ['malformed JSON', '{"item":', 'invalid_json'],
    [
      'wrong type',
      { paymentMethodId: 'x', item: { id: 'tshirt', amount: '10' } },
      'invalid_request',
    ],
    [
      'unknown field',
      { paymentMethodId: 'x', item: { id: 'tshirt' }, price: 1 },
      'invalid_request',
    ],
    [
      'both token and saved card',
      { paymentMethodId: 'x', sessionId: 'cs_1', transientToken: 'a.b.c', item: { id: 'tshirt' } },
      'invalid_request',
    ],
    [
      'oversized body',
      { paymentMethodId: 'x', item: { id: 'tshirt' }, email: `${'a'.repeat(17_000)}@x.com` },
      'body_too_large',
    ],
  ];
  it.each(cases)('%s → 400 with a code and no upstream call', async (_name, body, code) => {
    const r = await new Shopper(h).request('POST', '/api/checkout/payments', body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe(code);
    expect(await upstreamCalls(h)).toEqual([]);
  });

  it('names the bad field', async () => {
    const r = await new Shopper(h).request('POST', '/api/checkout/payments', {
      paymentMethodId: 'x',
      item: { id: 'tshirt', amount: -5 },
    });
    expect(JSON.stringify(r.body.error.details)).toContain('item.amount');
  });

  it('names the bad field of a new-card body too, in zod words a card number cannot garble', async () => {
    const r = await new Shopper(h).request('POST', '/api/checkout/payments', {
      sessionId: 7,
      transientToken: 'a.b.c',
      item: { id: 'tshirt', amount: 2 ** 60 },
    });
    expect(r.status).toBe(400);
    const fields = r.body.error.details.map((d: { field: string }) => d.field);
    expect([...new Set(fields)]).toEqual(['sessionId', 'item.amount']);
    // The limit 9007199254740991 looks like a card number; only received keys are masked.
    expect(JSON.stringify(r.body.error.details)).toContain('9007199254740991');
  });

  it('needs an Idempotency-Key on every POST', async () => {
    const r = await new Shopper(h).request(
      'POST',
      '/api/checkout/sessions',
      {},
      { 'idempotency-key': '' },
    );
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('idempotency_key_missing');
    for (const key of ['a b', 'x'.repeat(256), 'clé']) {
      const bad = await new Shopper(h).request(
        'POST',
        '/api/checkout/sessions',
        {},
        { 'idempotency-key': key },
      );
      expect([bad.status, bad.body.error.code], key).toEqual([400, 'idempotency_key_invalid']);
    }
  });

  it('refuses unknown query parameters', async () => {
    const r = await new Shopper(h).request('GET', '/api/catalog?x=1');
    expect(r.status).toBe(400);
  });
});

describe('status and catalog', () => {
  it('serves the catalog with the configured currency', async () => {
    const r = await new Shopper(h).request('GET', '/api/catalog');
    expect(r.body).toMatchObject({ currency: 'USD', minorUnits: 2 });
    expect(r.body.plans[0]).toMatchObject({ id: 'pro-monthly', interval: 'month' });
  });

  it('answers 503 checkout_disabled on every shopper endpoint when disabled', async () => {
    const off = await harness({
      env: { CHECKOUT_ENABLED: 'false', CHECKOUT_ALLOWED_SITES: 'https://shop.example' },
    });
    try {
      const s = new Shopper(off);
      for (const [method, path] of [
        ['GET', '/api/catalog'],
        ['POST', '/api/checkout/sessions'],
        ['POST', '/api/checkout/payments'],
        ['GET', '/api/payment-methods'],
        ['DELETE', '/api/payment-methods/x'],
        ['PUT', '/api/payment-methods/x/default'],
        ['GET', '/api/subscriptions'],
        ['POST', '/api/subscriptions/sub_x/cancel'],
        ['POST', '/api/subscriptions/sub_x/resume'],
        ['PUT', '/api/subscriptions/sub_x/payment-method'],
      ] as const) {
        const r = await s.request(method, path, method === 'POST' ? {} : undefined);
        expect([path, r.status, r.body.error.code]).toEqual([path, 503, 'checkout_disabled']);
      }
      // An allowed site's widget can read why: its preflight passes and the 503 carries CORS.
      const site = 'https://shop.example';
      const preflight = await off.stub.app.request('http://localhost:3000/api/checkout/sessions', {
        method: 'OPTIONS',
        headers: { origin: site, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      const there = await new Shopper(off, site).request('POST', '/api/checkout/sessions', {});
      expect(there.status).toBe(503);
      expect(there.headers.get('access-control-allow-origin')).toBe(site);
      expect(await upstreamCalls(off)).toEqual([]);
    } finally {
      await off.close();
    }
  });

  it('sends CORS headers to allowed sites only', async () => {
    const multi = await harness({ env: { CHECKOUT_ALLOWED_SITES: 'https://shop.example' } });
    try {
      const r = await new Shopper(multi, 'https://shop.example').request('GET', '/api/catalog');
      expect(r.status).toBe(200);
      expect(r.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      // The merchant's own frontend there can read the request id to quote to support.
      expect(r.headers.get('x-request-id')).toBeTruthy();
      expect(r.headers.get('access-control-expose-headers')).toBe(
        'Retry-After, X-Request-Id, Idempotent-Replayed',
      );
      const preflight = await multi.stub.app.request('http://localhost:3000/api/payment-methods', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.headers.get('access-control-allow-headers')).toMatch(/\bauthorization\b/);
      const own = await new Shopper(multi).request('GET', '/api/catalog');
      expect(own.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await multi.close();
    }
  });

  it('gives embedding sites a cookie they can send: SameSite=None, Secure, Partitioned over https', async () => {
    const cookieOf = async (env: Record<string, string>) => {
      const hh = await harness({ env });
      try {
        const site = env.CHECKOUT_ALLOWED_SITES ?? env.CHECKOUT_PUBLIC_URL;
        const r = await new Shopper(hh, site).request('POST', '/api/checkout/sessions', {});
        return r.headers.get('set-cookie') ?? '';
      } finally {
        await hh.close();
      }
    };
    const embedded = await cookieOf({
      CHECKOUT_PUBLIC_URL: 'https://pay.example',
      CHECKOUT_ALLOWED_SITES: 'https://shop.example',
    });
    expect(embedded).toMatch(/SameSite=None/i);
    expect(embedded).toMatch(/; Secure/i);
    expect(embedded).toMatch(/; Partitioned/i);
    expect(embedded).toMatch(/HttpOnly/i);
    // Only the stub's own pages (or plain http, where None is refused): Lax as before.
    const own = await cookieOf({ CHECKOUT_PUBLIC_URL: 'https://pay.example' });
    expect(own).toMatch(/SameSite=Lax/i);
    expect(own).not.toMatch(/Partitioned/i);
    // Over https only this host can set it (`__Host-`); plain http keeps the bare name.
    expect(embedded).toMatch(/^__Host-checkout_shopper=shp_/);
    expect(own).toMatch(/^__Host-checkout_shopper=shp_/);
    expect(own).toMatch(/; Path=\//);
    expect(own).not.toMatch(/Domain=/i);
    expect(
      (await new Shopper(h).request('POST', '/api/checkout/sessions', {})).headers.get(
        'set-cookie',
      ),
    ).toMatch(/^checkout_shopper=shp_/);
  });

  it('sets no shopper cookie on a request no route answers (an OPTIONS, an unknown path or method)', async () => {
    for (const [method, path, status] of [
      ['OPTIONS', '/api/payment-methods', 204],
      ['POST', '/api/nope', 404],
      ['PATCH', '/api/payment-methods', 405],
    ] as const) {
      const r = await new Shopper(h).request(method, path, method === 'OPTIONS' ? undefined : {});
      expect([method, path, r.status, r.headers.get('set-cookie')]).toEqual([
        method,
        path,
        status,
        null,
      ]);
    }
  });

  it('sets the shopper cookie on writes only: reads sent beside the session cannot replace it', async () => {
    const shopper = new Shopper(h);
    // What the widget sends at once for a new shopper: the catalog, the saved cards, a session.
    const [catalog, cards, session] = await Promise.all([
      shopper.request('GET', '/api/catalog'),
      shopper.request('GET', '/api/payment-methods'),
      shopper.request('POST', '/api/checkout/sessions', {}),
    ]);
    expect(catalog.headers.get('set-cookie')).toBeNull();
    expect(cards.headers.get('set-cookie')).toBeNull();
    expect(cards.body.paymentMethods).toEqual([]);
    expect(session.headers.get('set-cookie')).toMatch(/^checkout_shopper=shp_/);
    // Kept a year, so a returning shopper finds their saved cards.
    expect(session.headers.get('set-cookie')).toMatch(/; Max-Age=31536000(;|$)/);
    // The session is this browser's: it pays.
    const paid = await shopper.request('POST', '/api/checkout/payments', {
      sessionId: session.body.sessionId,
      transientToken: await shopper.token(session.body.captureContext),
      item: { id: 'tshirt' },
    });
    expect(paid.status).toBe(201);
  });

  it('over https, never takes a shopper cookie another host under the domain could plant', async () => {
    const env = { CHECKOUT_PUBLIC_URL: 'https://pay.example' };
    const hh = await harness({ env });
    try {
      // The planter's own, validly signed cookie, under the name a sibling subdomain can set.
      const planter = new Shopper(hh, 'https://pay.example');
      expect((await planter.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true })).status).toBe(
        201,
      );
      const planted = planter.cookie?.replace(/^__Host-/, '') ?? '';
      expect(planted).toMatch(/^checkout_shopper=shp_/);
      const victim = new Shopper(hh, 'https://pay.example');
      victim.cookie = planted;
      const r = await victim.request('GET', '/api/payment-methods');
      // A new shopper of its own: none of the planter's cards (nor, later, the other way round),
      // and at its first write a cookie of its own under the name only this host can set.
      expect(r.body.paymentMethods).toEqual([]);
      const started = await victim.request('POST', '/api/checkout/sessions', {});
      expect(started.headers.get('set-cookie')).toMatch(/^__Host-checkout_shopper=shp_/);
    } finally {
      await hh.close();
    }
  });
});

void VISA;
