/**
 * Fuzzing the shopper endpoints (DESIGN.md "Stub"): whatever a browser sends, the stub answers
 * below 500 in the error envelope, and input that is invalid by construction never reaches
 * CyberSource, never echoes a card number, never logs one, never pollutes a prototype.
 *
 * The near-valid payment bodies are mutations of one live request (a real session and an
 * unspent transient token); the last test pays with the unmutated body, which proves every
 * refusal before it was caused by the mutation and left the token unspent.
 */
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newKey, VISA } from '../server-stub/harness.ts';
import {
  badIdempotencyKey,
  contentType,
  foreignOrigin,
  headerValue,
  hostileJson,
  hostileKey,
  hostileString,
  malformedJson,
  OVERSIZED,
  oversizedBody,
  pollutionJson,
  weirdPathId,
  weirdQuery,
} from './arbitraries.ts';
import {
  expectNo5xx,
  expectNothingSensitive,
  expectNoUpstreamSince,
  expectRefused,
  fuzzOptions,
  mark,
  ORIGIN,
  paymentCalls,
  type RawRequest,
  type StubUnderTest,
  send,
  stubUnderTest,
} from './support.ts';

let h: StubUnderTest;
let cookie: string;
let base: {
  sessionId: string;
  transientToken: string;
  item: { id: string; amount: number };
  savePaymentMethod: boolean;
  email: string;
  billTo: { firstName: string; country: string };
};

const shopperHeaders = (extra: Record<string, string | undefined> = {}): Record<string, string> => {
  const all: Record<string, string | undefined> = {
    origin: ORIGIN,
    cookie,
    'content-type': 'application/json',
    ...extra,
  };
  return Object.fromEntries(
    Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined),
  );
};

const post = (path: string, body: string | Uint8Array | undefined, extra = {}): RawRequest => ({
  method: 'POST',
  path,
  headers: shopperHeaders({ 'idempotency-key': newKey(), ...extra }),
  ...(body === undefined ? {} : { body }),
});

beforeAll(async () => {
  h = await stubUnderTest();
  const started = await h.stub.app.request(`${ORIGIN}/api/checkout/sessions`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'idempotency-key': newKey() },
  });
  expect(started.status).toBe(201);
  cookie = (started.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = (await started.json()) as { sessionId: string; captureContext: string };
  const minted = await h.emulatorFetch('http://localhost:4010/__emulator/transient-tokens', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ captureContext: session.captureContext, card: VISA }),
  });
  expect(minted.status).toBe(201);
  base = {
    sessionId: session.sessionId,
    transientToken: ((await minted.json()) as { transientToken: string }).transientToken,
    item: { id: 'donation', amount: 4200 },
    savePaymentMethod: false,
    email: 'fuzz@example.com',
    billTo: { firstName: 'Ada', country: 'US' },
  };
});
afterAll(() => h.close());

const isEmptyObject = (v: unknown) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;

/** A serialised hostile body: JSON, malformed bytes, pollution payloads, oversized. */
const hostileBody = fc.oneof(
  { weight: 4, arbitrary: hostileJson.map((v) => ({ text: JSON.stringify(v) ?? '', value: v })) },
  { weight: 2, arbitrary: malformedJson.map((b) => ({ text: b, value: Symbol('malformed') })) },
  { weight: 1, arbitrary: pollutionJson.map((t) => ({ text: t, value: Symbol('pollution') })) },
  { weight: 1, arbitrary: oversizedBody.map((t) => ({ text: t, value: Symbol('oversized') })) },
);

/** What `body` is for a session or a set-default request: anything but nothing and `{}`. */
const notEmpty = (b: { text: string | Uint8Array; value: unknown }) =>
  typeof b.text !== 'string' || (b.text !== '' && !isEmptyObject(b.value));

describe('shopper endpoints under hostile input', () => {
  it('GET /api/catalog: any query, any headers → < 500, no upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(weirdQuery, { nil: undefined }),
        fc.option(foreignOrigin, { nil: undefined }),
        fc.option(headerValue, { nil: undefined }),
        async (query, origin, junk) => {
          const m = mark(h);
          const res = await send(h, {
            method: 'GET',
            path: `/api/catalog${query === undefined ? '' : `?${query}`}`,
            headers: {
              ...(origin === undefined ? {} : { origin }),
              ...(junk === undefined ? {} : { cookie: junk, 'x-request-id': junk, accept: junk }),
            },
          });
          expectNo5xx(res, 'catalog');
          expectNoUpstreamSince(h, m, 'catalog');
          if (origin !== undefined) expect(res.status).toBe(403);
        },
      ),
      fuzzOptions(100),
    );
  });

  it('POST /api/checkout/sessions: a body of whitespace alone is malformed, not empty', async () => {
    // fast-check found it (seed 800894376): "\t" was read as no body and started a session.
    for (const text of ['\t', ' ', '\r\n']) {
      const m = mark(h);
      const res = await send(h, post('/api/checkout/sessions', text, {}));
      expectRefused(h, m, res, 'sessions', ['invalid_json']);
    }
  });

  it('POST /api/checkout/sessions: every non-empty body is refused before CyberSource', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody.filter(notEmpty), contentType, async (body, type) => {
        const m = mark(h);
        const res = await send(
          h,
          post('/api/checkout/sessions', body.text, { 'content-type': type }),
        );
        expectRefused(h, m, res, 'sessions', ['invalid_json', 'invalid_request', 'body_too_large']);
      }),
      fuzzOptions(100),
    );
  });

  it('POST /api/checkout/sessions: a bad Idempotency-Key or Origin is refused before CyberSource', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badIdempotencyKey.map((k) => ({ 'idempotency-key': k })),
          fc.constant({ 'idempotency-key': undefined }),
          foreignOrigin.map((o) => ({ origin: o })),
          fc.constant({ origin: undefined }),
        ),
        async (headers) => {
          const m = mark(h);
          const res = await send(h, post('/api/checkout/sessions', '{}', headers));
          expectRefused(h, m, res, 'sessions headers', [
            'idempotency_key_missing',
            'idempotency_key_invalid',
            'origin_not_allowed',
          ]);
        },
      ),
      fuzzOptions(60),
    );
  });

  it('POST /api/checkout/payments: arbitrary bodies are refused before CyberSource', async () => {
    await fc.assert(
      fc.asyncProperty(hostileBody, contentType, async (body, type) => {
        const m = mark(h);
        const res = await send(
          h,
          post('/api/checkout/payments', body.text, { 'content-type': type }),
        );
        expectRefused(h, m, res, 'payments');
      }),
      fuzzOptions(150),
    );
  });

  it('POST /api/checkout/payments: one field of a live request mutated → refused before CyberSource', async () => {
    await fc.assert(
      fc.asyncProperty(
        nearValidPayment(() => base),
        async ({ text, label }) => {
          const m = mark(h);
          const res = await send(h, post('/api/checkout/payments', text));
          expectRefused(h, m, res, `payments ${label}`);
        },
      ),
      fuzzOptions(200),
    );
  });

  it('POST /api/checkout/payments: the live request with a bad key, origin or cookie → refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badIdempotencyKey.map((k) => ({ 'idempotency-key': k })),
          foreignOrigin.map((o) => ({ origin: o })),
          fc.constant({ cookie: undefined }),
          headerValue.map((v) => ({ cookie: `checkout_shopper=${v}` })),
          fc.constant({ cookie: `${cookie}x` }),
        ),
        async (headers) => {
          const m = mark(h);
          const res = await send(h, post('/api/checkout/payments', JSON.stringify(base), headers));
          expectRefused(h, m, res, 'payments headers', [
            'idempotency_key_missing',
            'idempotency_key_invalid',
            'origin_not_allowed',
            'session_not_found',
          ]);
        },
      ),
      fuzzOptions(60),
    );
  });

  it('an oversized body streamed without Content-Length is refused', async () => {
    const m = mark(h);
    const chunk = new TextEncoder().encode(`{"pad":"${'a'.repeat(OVERSIZED)}"}`);
    const res = await h.stub.app.request(`${ORIGIN}/api/checkout/payments`, {
      method: 'POST',
      headers: shopperHeaders({ 'idempotency-key': newKey() }),
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(chunk);
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    const r = { status: res.status, text: await res.text(), headers: res.headers };
    expectRefused(h, m, r, 'stream', ['body_too_large']);
  });

  it('GET /api/payment-methods: any query and cookie → < 500, no upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.option(weirdQuery, { nil: undefined }),
        fc.option(headerValue, { nil: undefined }),
        async (query, junkCookie) => {
          const m = mark(h);
          const res = await send(h, {
            method: 'GET',
            path: `/api/payment-methods${query === undefined ? '' : `?${query}`}`,
            headers: shopperHeaders({ 'content-type': undefined, cookie: junkCookie ?? cookie }),
          });
          expectNo5xx(res, 'payment-methods');
          // This shopper has no TMS customer: nothing to look up, whatever the query.
          expectNoUpstreamSince(h, m, 'payment-methods');
        },
      ),
      fuzzOptions(80),
    );
  });

  it('DELETE and PUT /api/payment-methods/{id}: unknown ids and hostile bodies → 4xx, no upstream', async () => {
    await fc.assert(
      fc.asyncProperty(
        weirdPathId,
        fc.boolean(),
        fc.option(hostileBody, { nil: undefined }),
        async (id, del, body) => {
          const m = mark(h);
          const res = await send(h, {
            method: del ? 'DELETE' : 'PUT',
            path: `/api/payment-methods/${id}${del ? '' : '/default'}`,
            headers: shopperHeaders(),
            ...(body === undefined ? {} : { body: body.text }),
          });
          expectRefused(h, m, res, `${del ? 'DELETE' : 'PUT'} ${id.slice(0, 40)}`);
        },
      ),
      fuzzOptions(100),
    );
  });

  it('unknown routes and wrong methods → 4xx envelope, no upstream', async () => {
    const paths = [
      '/api/catalog',
      '/api/checkout/sessions',
      '/api/checkout/payments',
      '/api/payment-methods',
      '/api/payment-methods/pi_1',
      '/api/payment-methods/pi_1/default',
      '/api/',
      '/api',
      '/api/checkout',
      '/api/checkout/sessions/cs_1',
      '/api/../api/catalog',
      '/api//catalog',
      '/api/CATALOG',
      '/api/catalog/',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
        fc.oneof(
          fc.constantFrom(...paths),
          weirdPathId.map((p) => `/api/${p}`),
        ),
        async (method, path) => {
          const m = mark(h);
          const res = await send(h, {
            method,
            path,
            headers: shopperHeaders({ 'idempotency-key': newKey() }),
            ...(method === 'GET' || method === 'HEAD' ? {} : { body: '{"x":1}' }),
          });
          if (method !== 'HEAD') expectNo5xx(res, `${method} ${path}`);
          else expect(res.status).toBeLessThan(500);
          expectNoUpstreamSince(h, m, `${method} ${path}`);
        },
      ),
      fuzzOptions(80),
    );
  });

  it('pays with the unmutated request: the fuzzing above left the session and token usable', async () => {
    expect(paymentCalls(h)).toHaveLength(0);
    const m = mark(h);
    const res = await send(h, post('/api/checkout/payments', JSON.stringify(base)));
    expect(res.status, res.text).toBe(201);
    expect(paymentCalls(h)).toHaveLength(1);
    expectNothingSensitive(h, m, res, 'the live payment');
  });
});

// ---- near-valid payment bodies ------------------------------------------------------------

const ID = /^[A-Za-z0-9_-]{1,128}$/;
const CATALOG_IDS = new Set(['tshirt', 'donation', 'pro-monthly']);

const notA = (kind: 'string' | 'boolean' | 'object' | 'number') =>
  hostileJson.filter((v) =>
    kind === 'object' ? v === null || typeof v !== 'object' || Array.isArray(v) : typeof v !== kind,
  );

/** Strings outside `[A-Za-z0-9_-]{1,128}`. */
const badId = fc.oneof(
  notA('string'),
  hostileString.filter((s) => !ID.test(s)),
);
/** Well-formed ids that name nothing. */
const unknownId = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);
const b64url = fc.stringMatching(/^[A-Za-z0-9_-]{1,120}$/);

/** Raw JSON for amounts that are not a positive integer ≤ 99 999 999 or not within 100…500 000. */
const badAmountJson = fc.oneof(
  fc.constantFrom(
    '1e309',
    '-1e309',
    '-0',
    '0',
    '-4200',
    '4200.5',
    '1e-7',
    '99999999999999999999',
    '9007199254740993',
    '"4200"',
    '[4200]',
    '{"value":4200}',
    'true',
    'null',
  ),
  fc.integer({ min: -(2 ** 31), max: 99 }).map(String),
  fc.integer({ min: 500_001, max: 2 ** 53 - 1 }).map(String),
  fc.double({ noInteger: true }).map((d) => (Number.isFinite(d) ? JSON.stringify(d) : '1.5')),
  notA('number').map((v) => JSON.stringify(v) ?? 'null'),
);

const AMOUNT_MARK = '__AMOUNT__';

interface Mutant {
  text: string;
  label: string;
}

function nearValidPayment(current: () => typeof base): fc.Arbitrary<Mutant> {
  const set = (label: string, patch: (b: Record<string, unknown>) => void) => (): Mutant => {
    const body = structuredClone(current()) as unknown as Record<string, unknown>;
    patch(body);
    return { text: JSON.stringify(body), label };
  };
  const setWith = <T>(
    label: string,
    arb: fc.Arbitrary<T>,
    patch: (b: Record<string, unknown>, v: T) => void,
  ) => arb.map((v) => set(label, (b) => patch(b, v))());
  const item = (b: Record<string, unknown>) => b.item as Record<string, unknown>;
  const billTo = (b: Record<string, unknown>) => b.billTo as Record<string, unknown>;
  const addKey = (
    where: string,
    allowed: readonly string[],
    target: (b: Record<string, unknown>) => Record<string, unknown>,
  ) =>
    fc
      .tuple(
        hostileKey.filter((k) => !allowed.includes(k)),
        hostileJson,
      )
      .map(([k, v]) =>
        set(`unknown ${where}.${k.slice(0, 20)}`, (b) => {
          const t = target(b);
          Object.defineProperty(t, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        })(),
      );
  const TOP = ['sessionId', 'transientToken', 'item', 'savePaymentMethod', 'email', 'billTo'];
  const BILL_TO = [
    'firstName',
    'lastName',
    'address1',
    'address2',
    'locality',
    'administrativeArea',
    'postalCode',
    'country',
    'email',
    'phoneNumber',
  ];
  return fc.oneof(
    // sessionId
    setWith('sessionId wrong', badId, (b, v) => {
      b.sessionId = v;
    }),
    setWith('sessionId unknown', unknownId, (b, v) => {
      b.sessionId = `cs_${v}`;
    }),
    // transientToken
    setWith('token not a JWT', fc.oneof(notA('string'), hostileString), (b, v) => {
      b.transientToken = v;
    }),
    setWith('token forged', fc.tuple(b64url, b64url, b64url), (b, [x, y, z]) => {
      b.transientToken = `${x}.${y}.${z}`;
    }),
    setWith('token huge', fc.integer({ min: 8200, max: 12_000 }), (b, n) => {
      b.transientToken = `${'a'.repeat(n)}.b.c`;
    }),
    setWith('token edited', fc.nat(), (b, n) => {
      const t = (b.transientToken as string).split('.');
      const part = n % 3;
      const s = t[part] ?? '';
      // Never the last character: its low bits may be padding, and flipping them changes nothing.
      const i = n % (s.length - 1);
      t[part] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
      b.transientToken = t.join('.');
    }),
    // item
    setWith('item wrong', notA('object'), (b, v) => {
      b.item = v;
    }),
    setWith('item.id wrong', badId, (b, v) => {
      item(b).id = v;
    }),
    setWith(
      'item.id unknown',
      unknownId.filter((s) => !CATALOG_IDS.has(s)),
      (b, v) => {
        item(b).id = v;
      },
    ),
    fc.integer({ min: 1, max: 99_999_999 }).map((n) =>
      set('fixed price with amount', (b) => {
        b.item = { id: 'tshirt', amount: n };
      })(),
    ),
    badAmountJson.map((raw) => {
      const body = structuredClone(current());
      const text = JSON.stringify({
        ...body,
        item: { id: 'donation', amount: AMOUNT_MARK },
      }).replace(`"${AMOUNT_MARK}"`, raw);
      return { text, label: `amount ${raw.slice(0, 30)}` };
    }),
    // the rest
    setWith('savePaymentMethod wrong', notA('boolean'), (b, v) => {
      b.savePaymentMethod = v;
    }),
    setWith(
      'email wrong',
      fc.oneof(
        notA('string'),
        hostileString.filter((s) => !s.includes('@')),
      ),
      (b, v) => {
        b.email = v;
      },
    ),
    setWith('billTo wrong', notA('object'), (b, v) => {
      b.billTo = v;
    }),
    setWith(
      'billTo field wrong',
      fc.tuple(
        fc.constantFrom('firstName', 'lastName', 'address1', 'locality'),
        fc.oneof(
          notA('string'),
          fc.constant(''),
          fc.integer({ min: 61, max: 500 }).map((n) => 'y'.repeat(n)),
        ),
      ),
      (b, [k, v]) => {
        billTo(b)[k] = v;
      },
    ),
    setWith(
      'billTo.country wrong',
      fc.oneof(
        notA('string'),
        hostileString.filter((s) => !/^[A-Z]{2}$/.test(s)),
      ),
      (b, v) => {
        billTo(b).country = v;
      },
    ),
    // shape
    addKey('body', TOP, (b) => b),
    addKey('item', ['id', 'amount'], item),
    addKey('billTo', BILL_TO, billTo),
    fc.constantFrom('sessionId', 'transientToken', 'item').map((k) =>
      set(`missing ${k}`, (b) => {
        delete b[k];
      })(),
    ),
    fc.constant(null).map(() =>
      set('missing item.id', (b) => {
        delete item(b).id;
      })(),
    ),
    unknownId.map((pm) =>
      set('both token and saved card', (b) => {
        b.paymentMethodId = pm;
      })(),
    ),
    fc.constant(null).map(() =>
      set('captureContext from the browser', (b) => {
        b.captureContext = 'eyJhbGciOiJub25lIn0.e30.';
      })(),
    ),
  );
}
