/**
 * Test harness: an emulator and a stub wired in-process (no sockets), a PGlite store in memory,
 * and helpers that act like the widget (session → token → payment) and the merchant panel.
 */
import { Writable } from 'node:stream';
import { emulatorMleSettings } from '../../demo/mle-settings.ts';
import { createEmulator, type Emulator } from '../../emulator/app.ts';
import type { EmulatorConfig } from '../../emulator/config.ts';
import { inProcessFetch } from '../../emulator/in-process.ts';
import type { Catalog } from '../../server-stub/config/catalog.ts';
import { configFromEnv, type StubConfig } from '../../server-stub/config/env.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { createStub, type Stub, type StubOptions } from '../../server-stub/stub.ts';
import { signal } from '../helpers/signal.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { openTestStore } from '../helpers/test-store.ts';

export const ORIGIN = 'http://localhost:3000';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Prices chosen around the emulator's amount triggers (emulator/payments/triggers.ts). */
export const TEST_CATALOG: Catalog = {
  products: [
    { id: 'tshirt', name: 'T-shirt', amount: 2500 },
    { id: 'donation', name: 'Donation', amount: 1000, customAmount: { min: 100, max: 500_000 } },
  ],
  plans: [{ id: 'pro-monthly', name: 'Pro', amount: 900, interval: 'month', intervalCount: 1 }],
};

export const VISA = {
  number: '4111111111111111',
  securityCode: '123',
  expirationMonth: '12',
  expirationYear: '2031',
};
export const MASTERCARD = {
  number: '5555555555554444',
  securityCode: '123',
  expirationMonth: '11',
  expirationYear: '2030',
};

/** A complete US billing address, as a merchant that asks for one receives it. */
export const BILL_TO = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  address1: '1 Market St',
  locality: 'San Francisco',
  administrativeArea: 'CA',
  postalCode: '94105',
  country: 'US',
};

export class LogSink extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(chunk.toString());
    done();
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface Harness {
  emulator: Emulator;
  stub: Stub;
  logs: LogSink;
  emulatorFetch: typeof fetch;
  close(): Promise<void>;
}

export async function harness(
  options: Partial<StubOptions> & {
    env?: Record<string, string | undefined>;
    overrides?: Partial<StubConfig>;
    /** The emulated account's settings (`relaxedAddress`…). */
    account?: Partial<EmulatorConfig>;
    /** Message-level encryption both ways, set up as a merchant does (demo/mle-settings.ts). */
    mle?: boolean;
  } = {},
): Promise<Harness> {
  // One clock for both, as NTP gives a real stub and CyberSource: a test that moves the stub's
  // clock moves CyberSource's with it (JWT-signed calls carry their time, API-FACTS §1.6).
  const { account, mle, ...stubOptions } = options;
  const emulator = createEmulator({
    keys: testKeys(),
    ...(options.now ? { now: options.now } : {}),
    ...(account ? { config: account } : {}),
  });
  const emulatorFetch = inProcessFetch(emulator);
  const logs = new LogSink();
  const db = options.db ?? (await openTestStore());
  const mleEnv = mle
    ? await emulatorMleSettings('http://localhost:4010', { fetch: emulatorFetch })
    : {};
  const config = configFromEnv({
    ADMIN_TOKEN,
    LOG_LEVEL: 'debug',
    ...mleEnv,
    ...(options.env ?? {}),
  });
  const stub = await createStub({
    config,
    overrides: options.overrides ?? {},
    fetch: emulatorFetch,
    db,
    catalog: TEST_CATALOG,
    cookieSecret: 'a-test-cookie-secret-that-is-long-enough-123',
    logger: createLogger({ level: 'debug', destination: logs }),
    sleep: async () => undefined,
    ...stubOptions,
  });
  return {
    emulator,
    stub,
    logs,
    emulatorFetch,
    close: async () => {
      await stub.close();
      if (!options.db) await db.close();
    },
  };
}

/**
 * The stub against an account that requires message-level encryption (test/server-stub/mle*),
 * payments timing out fast and the reconciler driven by the test (`runOnce`, no waiting).
 */
export function mleHarness(extra: Parameters<typeof harness>[0] = {}): Promise<Harness> {
  return harness({
    mle: true,
    account: { mleRequired: true },
    timeouts: { paymentMs: 300 },
    reconcile: { afterMs: 0, intervalMs: 0 },
    ...extra,
  });
}

/**
 * A harness that records every payment request the stub sends (`sales`, parsed bodies) and,
 * while `rewrite.approval` is set, edits each approved payment answer with it: a real
 * CyberSource answer may leave out what the emulator's carries.
 */
export interface Rewrite {
  approval?: ((body: Record<string, any>) => void) | undefined;
}

export async function recordingHarness(): Promise<{
  h: Harness;
  sales: Record<string, any>[];
  rewrite: Rewrite;
}> {
  const sales: Record<string, any>[] = [];
  const rewrite: Rewrite = {};
  let upstream: typeof fetch | undefined;
  const h = await harness({
    fetch: async (input, init) => {
      const sale = String(input).endsWith('/pts/v2/payments');
      if (sale && typeof init?.body === 'string') sales.push(JSON.parse(init.body));
      if (!upstream) throw new Error('harness not ready');
      const res = await upstream(input, init);
      const edit = rewrite.approval;
      if (!sale || !edit || res.status !== 201) return res;
      const body = await res.json();
      edit(body);
      const headers = new Headers(res.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(body), { status: 201, headers });
    },
  });
  upstream = h.emulatorFetch;
  return { h, sales, rewrite };
}

/**
 * A second stub on `h`'s database and emulator whose payment requests wait at a gate, to act
 * while one is on its way: `sent` is reached when one is, `release()` lets it (and any later
 * one) through. Close `stub` when done.
 */
export async function holdingSales(h: Harness) {
  const gate = signal();
  const sent = signal();
  const stub = await harness({
    db: h.stub.db,
    fetch: async (input, init) => {
      if (new URL(String(input)).pathname === '/pts/v2/payments') {
        sent.fire();
        await gate.reached;
      }
      return h.emulatorFetch(input, init);
    },
  });
  return { stub, sent: sent.reached, release: gate.fire };
}

let keyCounter = 0;
export const newKey = () => `key-${process.pid}-${Date.now()}-${++keyCounter}`;

/** A browser tab of one shopper: keeps its cookie, sends Origin and Idempotency-Key. */
export class Shopper {
  cookie: string | undefined;
  constructor(
    private readonly h: Harness,
    readonly origin: string = ORIGIN,
  ) {}

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await this.h.stub.app.request(`http://localhost:3000${path}`, {
      method,
      headers: {
        origin: this.origin,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' && !('idempotency-key' in headers)
          ? { 'idempotency-key': newKey() }
          : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      headers: res.headers,
      /** The body as sent: a replay must be the first answer byte for byte. */
      text,
    };
  }

  async session() {
    const r = await this.request('POST', '/api/checkout/sessions', {});
    if (r.status !== 201) throw new Error(`session failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { sessionId: string; captureContext: string; expiresAt: string };
  }

  async token(captureContext: string, card = VISA): Promise<string> {
    const res = await this.h.emulatorFetch('http://localhost:4010/__emulator/transient-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ captureContext, card }),
    });
    const body = await res.json();
    if (res.status !== 201) throw new Error(`mint failed: ${res.status} ${JSON.stringify(body)}`);
    return body.transientToken;
  }

  /** A new-card payment's body as the widget sends it: a fresh session and its token. */
  async newCardBody(item: { id: string; amount?: number; currency?: string }, card = VISA) {
    const s = await this.session();
    return {
      sessionId: s.sessionId,
      transientToken: await this.token(s.captureContext, card),
      item,
    };
  }

  /** Session + token + payment, like the widget. */
  async payNewCard(
    item: { id: string; amount?: number; currency?: string },
    extra: Record<string, unknown> = {},
    card = VISA,
  ) {
    return this.request('POST', '/api/checkout/payments', {
      ...(await this.newCardBody(item, card)),
      ...extra,
    });
  }
}

export function admin(h: Harness, token: string | undefined = ADMIN_TOKEN) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await h.stub.app.request(`http://localhost:3000${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' && !('idempotency-key' in headers)
          ? { 'idempotency-key': newKey() }
          : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

/** The emulator's request log: method + path + status, oldest first. */
/**
 * Empties the emulator's request log once the stub has nothing left on its way (a session's
 * Flex v1 key, sent after the session's answer, reached it after the clear on a busy machine).
 */
export async function forgetUpstreamCalls(h: Harness): Promise<void> {
  // A handler held open on purpose (a test that failed before releasing it) would make this
  // wait for good: said after 10 s, where the hook's own timeout would hide the test's error.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stuck = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the stub still has ${h.stub.inFlight()} request(s) on their way`)),
      10_000,
    );
  });
  try {
    await Promise.race([h.stub.idle(), stuck]);
  } finally {
    clearTimeout(timer);
  }
  h.emulator.state.requests.clear();
}

export async function upstreamCalls(
  h: Harness,
): Promise<{ method: string; path: string; status: number }[]> {
  const res = await h.emulatorFetch('http://localhost:4010/__emulator/requests');
  return (await res.json()).requests;
}
