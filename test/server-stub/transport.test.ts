import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  JtiReplayGuard,
  verifyHttpSignature,
  verifyJwtRequest,
} from '../../cybersource/auth/index.ts';
import { SAMPLE_MERCHANT } from '../../emulator/config.ts';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { CyberSourceClient } from '../../server-stub/cybersource/client.ts';
import { TransportError } from '../../server-stub/cybersource/transport-error.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { createStub, type Stub } from '../../server-stub/stub.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { openTestStore } from '../helpers/test-store.ts';
import { ADMIN_TOKEN, harness, LogSink, TEST_CATALOG, upstreamCalls, VISA } from './harness.ts';

describe('over real HTTP against a running emulator', () => {
  let emulator: RunningEmulator;
  let stub: Stub;
  let stubUrl: string;
  let server: { close: () => void };
  beforeAll(async () => {
    emulator = await startEmulator({ keys: testKeys() });
    const { serve } = await import('@hono/node-server');
    stub = await createStub({
      env: {
        CYBERSOURCE_BASE_URL: `http://localhost:${emulator.port}`,
        ADMIN_TOKEN,
        LOG_LEVEL: 'silent',
      },
      db: await openTestStore(),
      catalog: TEST_CATALOG,
      cookieSecret: 'a-test-cookie-secret-that-is-long-enough-123',
    });
    await new Promise<void>((resolve) => {
      server = serve({ fetch: stub.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        stubUrl = `http://127.0.0.1:${info.port}`;
        resolve();
      });
    });
  });
  afterAll(async () => {
    server.close();
    await stub.close();
    await stub.db.close();
    await emulator.close();
  });

  it('pays with a new card, saves it and pays again with it', async () => {
    const origin = stubUrl;
    const post = async (path: string, body: unknown, cookie = '') =>
      fetch(`${stubUrl}${path}`, {
        method: 'POST',
        headers: {
          origin,
          'content-type': 'application/json',
          'idempotency-key': crypto.randomUUID(),
          cookie,
        },
        body: JSON.stringify(body),
      });
    const sessionRes = await post('/api/checkout/sessions', {});
    expect(sessionRes.status).toBe(201);
    const cookie = (sessionRes.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(sessionRes.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    expect(sessionRes.headers.get('set-cookie')).toMatch(/SameSite=Lax/i);
    const session = await sessionRes.json();
    const mint = await fetch(`${emulator.url}/__emulator/transient-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ captureContext: session.captureContext, card: VISA }),
    });
    const { transientToken } = await mint.json();
    const paid = await post(
      '/api/checkout/payments',
      {
        sessionId: session.sessionId,
        transientToken,
        item: { id: 'tshirt' },
        savePaymentMethod: true,
      },
      cookie,
    );
    expect(paid.status).toBe(201);
    const { paymentMethodId } = await paid.json();
    const again = await post(
      '/api/checkout/payments',
      { paymentMethodId, item: { id: 'donation', amount: 1234 } },
      cookie,
    );
    expect(again.status).toBe(201);
    expect((await again.json()).payment.amount).toBe(1234);
  });
});

describe('CyberSource client policy', () => {
  let h: Awaited<ReturnType<typeof harness>>;
  beforeAll(async () => {
    h = await harness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.emulator.state.reset());

  const fault = (spec: object) =>
    h.emulatorFetch('http://localhost:4010/__emulator/faults', {
      method: 'POST',
      body: JSON.stringify(spec),
    });

  function client(fetchFn: typeof fetch, auth: 'http-signature' | 'jwt' = 'http-signature') {
    return new CyberSourceClient(
      {
        baseUrl: 'http://localhost:4010',
        merchantId: 'testrest',
        keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
        secretKey: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
        auth,
      },
      {
        fetch: fetchFn,
        now: () => new Date(),
        sleep: async () => undefined,
        logger: createLogger({ level: 'silent' }),
      },
      { paymentMs: 100, defaultMs: 100 },
    );
  }

  it('retries a GET after a 502 and after a dropped connection', async () => {
    await fault({ method: 'GET', path: '/tss/', fault: '502', times: 1 });
    await fault({ method: 'GET', path: '/tss/', fault: 'reset', times: 1 });
    const r = await client(h.emulatorFetch).call({ method: 'GET', path: '/tss/v2/transactions/1' });
    expect(r.status).toBe(404);
    const calls = (
      await (await h.emulatorFetch('http://localhost:4010/__emulator/requests')).json()
    ).requests;
    expect(calls).toHaveLength(3);
  });

  it('never resends a payment that may have been sent', async () => {
    await fault({ method: 'POST', path: '/pts/v2/payments', fault: 'reset', times: 1 });
    await expect(
      client(h.emulatorFetch).call({
        method: 'POST',
        path: '/pts/v2/payments',
        body: {},
        kind: 'payment',
      }),
    ).rejects.toBeInstanceOf(TransportError);
    const calls = (
      await (await h.emulatorFetch('http://localhost:4010/__emulator/requests')).json()
    ).requests;
    expect(calls).toHaveLength(1);
  });

  it('resends a payment whose connection was refused before sending', async () => {
    let attempts = 0;
    const refusing: typeof fetch = async (input, init) => {
      attempts += 1;
      if (attempts === 1)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      return h.emulatorFetch(input, init);
    };
    const r = await client(refusing).call({
      method: 'POST',
      path: '/pts/v2/payments',
      body: {},
      kind: 'payment',
    });
    expect(attempts).toBe(2);
    expect(r.status).toBe(400);
  });

  it('asks each API family for the media type the SDK asks it for: JSON from TMS and the search, HAL from payments and Transaction Details', async () => {
    const accepts = new Map<string, string | null>();
    const recording: typeof fetch = async (input, init) => {
      accepts.set(new URL(String(input)).pathname, new Headers(init?.headers).get('accept'));
      return h.emulatorFetch(input, init);
    };
    const c = client(recording);
    await c.call({ method: 'POST', path: '/pts/v2/payments', body: {}, kind: 'payment' });
    await c.call({ method: 'GET', path: '/tss/v2/transactions/1' });
    await c.call({ method: 'POST', path: '/tss/v2/searches', body: {} });
    await c.call({ method: 'GET', path: '/tms/v2/customers/1' });
    await c.call({ method: 'POST', path: '/flex/v1/keys', body: {} });
    expect(Object.fromEntries(accepts)).toEqual({
      '/pts/v2/payments': 'application/hal+json;charset=utf-8, application/json',
      '/tss/v2/transactions/1': 'application/hal+json;charset=utf-8, application/json',
      '/tss/v2/searches': 'application/json;charset=utf-8',
      '/tms/v2/customers/1': 'application/json;charset=utf-8',
      '/flex/v1/keys': 'application/json;charset=utf-8',
    });
  });

  it('signs with JWT when configured', async () => {
    const r = await client(h.emulatorFetch, 'jwt').call({
      method: 'GET',
      path: '/tss/v2/transactions/1',
    });
    expect(r.status).toBe(404);
    const bad = await client(h.emulatorFetch).call({
      method: 'GET',
      path: '/tss/v2/transactions/1',
      authenticate: false,
    });
    expect(bad.status).toBe(401);
  });

  // JWT is the default (every other test); HTTP signature stays for accounts not yet moved.
  it.each(['jwt', 'http-signature'])('pays end to end with %s authentication', async (auth) => {
    const signed = await harness({ env: { CYBERSOURCE_AUTH: auth } });
    try {
      const { Shopper } = await import('./harness.ts');
      expect(signed.stub.config.auth).toBe(auth);
      signed.emulator.state.requests.clear();
      expect((await new Shopper(signed).payNewCard({ id: 'tshirt' })).status).toBe(201);
      const calls = await upstreamCalls(signed);
      expect(calls.map((c) => c.status).filter((s) => s === 401)).toEqual([]);
      expect(calls.some((c) => c.path === '/pts/v2/payments')).toBe(true);
    } finally {
      await signed.close();
    }
  });

  it('refuses a capture context whose signature does not verify', async () => {
    const tampering: typeof fetch = async (input, init) => {
      const res = await h.emulatorFetch(input, init);
      if (!String(input).endsWith('/microform/v2/sessions')) return res;
      const jwt = await res.text();
      const [head, body, sig = ''] = jwt.split('.');
      const flipped = `${sig.startsWith('A') ? 'B' : 'A'}${sig.slice(1)}`;
      return new Response(`${head}.${body}.${flipped}`, {
        status: res.status,
        headers: res.headers,
      });
    };
    const t = await harness({ fetch: tampering });
    try {
      const { Shopper } = await import('./harness.ts');
      const r = await new Shopper(t).request('POST', '/api/checkout/sessions', {});
      expect(r.status).toBe(502);
      expect(r.body.error.code).toBe('capture_context_invalid');
    } finally {
      await t.close();
    }
  });
});

describe('logs', () => {
  it('carry request ids and never a card number, secret, transient token or capture context', async () => {
    const sink = new LogSink();
    const h = await harness({ logger: createLogger({ level: 'trace', destination: sink }) });
    try {
      const { Shopper } = await import('./harness.ts');
      const s = new Shopper(h);
      const session = await s.session();
      const token = await s.token(session.captureContext);
      await s.request('POST', '/api/checkout/payments', {
        sessionId: session.sessionId,
        transientToken: token,
        item: { id: 'tshirt' },
        savePaymentMethod: true,
      });
      await s.request('POST', '/api/checkout/payments', {
        sessionId: 'cs_x',
        transientToken: token,
        item: { id: 'tshirt' },
        email: VISA.number,
      });
      const text = sink.text;
      expect(text).toContain('"requestId"');
      expect(text).toContain('payment approved');
      for (const secret of [
        VISA.number,
        h.stub.config.secretKey,
        token,
        session.captureContext,
        ADMIN_TOKEN,
        token.split('.')[2] ?? '',
      ]) {
        expect(text).not.toContain(secret);
      }
    } finally {
      await h.close();
    }
  });
});

describe('CyberSource client signs the request line fetch sends', () => {
  const key = SAMPLE_MERCHANT;
  let server: Server;
  let base: string;
  let arrived: { url: string; headers: IncomingHttpHeaders; body: Buffer }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        arrived.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    arrived = [];
  });

  function client(auth: 'http-signature' | 'jwt') {
    return new CyberSourceClient(
      {
        baseUrl: base,
        merchantId: key.merchantId,
        keyId: key.keyId,
        secretKey: key.secretBase64,
        auth,
      },
      {
        fetch,
        now: () => new Date(),
        sleep: async () => undefined,
        logger: createLogger({ level: 'silent' }),
      },
    );
  }

  // each of these reaches the wire differently from how it was written
  const paths = [
    "/tms/v2/customers/C1/payment-instruments?filter=o'brien",
    '/tms/v1/instrumentidentifiers/a b',
    '/tms/v1/instrumentidentifiers/café',
    '/tms/v1/./instrumentidentifiers/x/../7010000000016241111',
  ];

  it.each(paths)('HTTP signature over %s', async (path) => {
    await client('http-signature').call({ method: 'POST', path, body: { a: 1 } });
    const [got] = arrived;
    if (!got) throw new Error('nothing arrived');
    const wire = new URL(base + path);
    expect(got.url).toBe(wire.pathname + wire.search);
    const header = (n: string) => {
      const v = got.headers[n];
      return Array.isArray(v) ? v.join(', ') : v;
    };
    expect(
      verifyHttpSignature(
        { method: 'POST', target: got.url, header, body: got.body },
        { now: new Date(), findKey: (id) => (id === key.keyId ? key : undefined) },
      ),
    ).toEqual({ ok: true, key });
  });

  it.each(paths)('JWT over %s', async (path) => {
    await client('jwt').call({ method: 'GET', path });
    const [got] = arrived;
    if (!got) throw new Error('nothing arrived');
    const result = await verifyJwtRequest(
      {
        method: 'GET',
        target: got.url,
        host: got.headers.host ?? '',
        authorization: got.headers.authorization,
        body: got.body,
      },
      {
        now: new Date(),
        findKey: (id) => (id === key.keyId ? key : undefined),
        replayGuard: new JtiReplayGuard(),
      },
    );
    expect(result).toEqual({ ok: true, key });
  });
});
