/**
 * Shared by the fuzz and security suites: an in-process emulator and stub (PGlite in memory, one
 * per test file) whose upstream `fetch` is recorded, so a test can prove that a request made no
 * CyberSource call at all (the emulator's own log only sees authenticated REST paths; this one
 * also sees public-key look-ups). Plus the properties every refused request must have.
 */
import type * as fc from 'fast-check';
import { expect } from 'vitest';
import { createEmulator, type Emulator } from '../../emulator/app.ts';
import { inProcessFetch } from '../../emulator/in-process.ts';
import { configFromEnv } from '../../server-stub/config/env.ts';
import { ERROR_CATALOG } from '../../server-stub/errors.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { createStub, type Stub, type StubOptions } from '../../server-stub/stub.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { openTestStore } from '../helpers/test-store.ts';
import {
  ADMIN_TOKEN,
  type Harness,
  LogSink,
  ORIGIN,
  TEST_CATALOG,
} from '../server-stub/harness.ts';

export { ADMIN_TOKEN, ORIGIN };
export const COOKIE_SECRET = 'a-fuzz-cookie-secret-that-is-long-enough-0123';

/**
 * `FUZZ_SEED` replays a run (fast-check prints the seed and the shrunk counterexample on
 * failure); `FUZZ_RUNS_FACTOR` scales every property's run count for a longer soak.
 */
const envSeed = Number.parseInt(process.env.FUZZ_SEED ?? '', 10);
export const FUZZ_SEED = Number.isFinite(envSeed) ? envSeed : Math.floor(Math.random() * 2 ** 31);
const factor = Number(process.env.FUZZ_RUNS_FACTOR ?? '1');
export const fuzzOptions = (numRuns: number): fc.Parameters<unknown> => ({
  seed: FUZZ_SEED,
  numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(factor) && factor > 0 ? factor : 1))),
  endOnFailure: false,
});

/** Luhn-valid test card numbers: none may ever come back in a body or reach a log line. */
export const CARD_NUMBERS = [
  '4111111111111111',
  '5555555555554444',
  '378282246310005',
  '6011111111111117',
  '4000000000002503',
] as const;

export interface UpstreamCall {
  method: string;
  path: string;
}

export interface StubUnderTest extends Harness {
  /** Every request the stub sent towards CyberSource, oldest first. */
  upstream: UpstreamCall[];
  /** How many of them have no answer yet (the emulator logs a request once it answered). */
  inFlight(): number;
  close(): Promise<void>;
}

export type Intercept = (call: UpstreamCall, response: Response) => Response | Promise<Response>;

export async function stubUnderTest(
  options: {
    now?: () => Date;
    emulatorNow?: () => Date;
    /** Rewrites CyberSource's answers on the way to the stub (a man in the middle). */
    intercept?: Intercept;
    stub?: Partial<StubOptions>;
  } = {},
): Promise<StubUnderTest> {
  const emulator: Emulator = createEmulator({
    keys: testKeys(),
    ...(options.emulatorNow ? { now: options.emulatorNow } : {}),
  });
  const emulatorFetch = inProcessFetch(emulator);
  const upstream: UpstreamCall[] = [];
  let pending = 0;
  const recordingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : 'GET')
    ).toUpperCase();
    const call = { method, path: new URL(url).pathname };
    upstream.push(call);
    pending++;
    try {
      const response = await emulatorFetch(input, init);
      return options.intercept ? options.intercept(call, response) : response;
    } finally {
      pending--;
    }
  };
  const logs = new LogSink();
  const db = await openTestStore();
  const stub: Stub = await createStub({
    // Card-testing limits off: they would answer 429 before the checks fuzzed here (they have
    // their own suite), and the closing "the live request still pays" checks need them off.
    config: configFromEnv({ ADMIN_TOKEN, LOG_LEVEL: 'debug', RATE_LIMIT_DISABLED: 'true' }),
    fetch: recordingFetch,
    db,
    catalog: TEST_CATALOG,
    cookieSecret: COOKIE_SECRET,
    logger: createLogger({ level: 'debug', destination: logs }),
    sleep: async () => undefined,
    idempotencyWaitMs: 1_000,
    ...(options.now ? { now: options.now } : {}),
    ...(options.stub ?? {}),
  });
  return {
    emulator,
    stub,
    logs,
    emulatorFetch,
    upstream,
    inFlight: () => pending,
    close: async () => {
      await stub.close();
      await db.close();
    },
  };
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface RawResponse {
  status: number;
  text: string;
  headers: Headers;
}

export async function send(h: StubUnderTest, r: RawRequest): Promise<RawResponse> {
  const init: RequestInit = { method: r.method, headers: r.headers ?? {} };
  if (r.body !== undefined)
    init.body = typeof r.body === 'string' ? r.body : new Uint8Array(r.body);
  const res = await h.stub.app.request(`http://localhost:3000${r.path}`, init);
  return { status: res.status, text: await res.text(), headers: res.headers };
}

export interface Mark {
  upstream: number;
  emulatorLog: number;
  /** Calls sent before the mark and not yet answered: the emulator may log them after it. */
  inFlight: number;
  logLines: number;
}

export const mark = (h: StubUnderTest): Mark => ({
  upstream: h.upstream.length,
  emulatorLog: h.emulator.state.requests.list().length,
  inFlight: h.inFlight(),
  logLines: h.logs.lines.length,
});

/**
 * Nothing reached CyberSource (or the emulator's public endpoints) since `m`: no call sent, and
 * no more entries in the emulator's log than the calls already under way at the mark (a Flex
 * key the stub asks for in the background, which a loaded machine may answer late).
 */
export function expectNoUpstreamSince(h: StubUnderTest, m: Mark, what: string): void {
  const calls = h.upstream.slice(m.upstream);
  expect(calls, `${what}: upstream calls`).toEqual([]);
  const logged = h.emulator.state.requests.list().length - m.emulatorLog;
  expect(logged, `${what}: emulator log`).toBeLessThanOrEqual(m.inFlight);
}

export const paymentCalls = (h: StubUnderTest): UpstreamCall[] =>
  h.upstream.filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments');

const ERROR_KEYS = new Set(['code', 'message', 'details', 'reason']);

/** An error answer is `{"error":{"code","message",...}}` with a catalogued code of that status. */
export function expectErrorEnvelope(res: RawResponse, what: string): string {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new Error(`${what}: ${res.status} body is not JSON: ${res.text.slice(0, 200)}`);
  }
  expect(body, what).toBeTypeOf('object');
  const error = (body as { error?: Record<string, unknown> }).error;
  expect(error, `${what}: no "error" member in ${res.text.slice(0, 300)}`).toBeTypeOf('object');
  const e = error as Record<string, unknown>;
  expect(e.code, what).toBeTypeOf('string');
  expect(e.message, what).toBeTypeOf('string');
  for (const k of Object.keys(e))
    expect(ERROR_KEYS.has(k), `${what}: unexpected error.${k}`).toBe(true);
  const code = e.code as string;
  expect(Object.hasOwn(ERROR_CATALOG, code), `${what}: code ${code} not catalogued`).toBe(true);
  expect(ERROR_CATALOG[code as keyof typeof ERROR_CATALOG].status, `${what}: ${code}`).toBe(
    res.status,
  );
  return code;
}

/**
 * The answer to input that is invalid by construction: a 4xx (never a 5xx, never a 2xx, never a
 * decline), in the error envelope, with no upstream call, nothing sensitive in the body or in
 * the log lines it produced, and `Object.prototype` untouched.
 */
export function expectRefused(
  h: StubUnderTest,
  m: Mark,
  res: RawResponse,
  what: string,
  allowedCodes?: readonly string[],
): string {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.status, what).not.toBe(402);
  const code = expectErrorEnvelope(res, what);
  if (allowedCodes) expect(allowedCodes, `${what}: ${res.text.slice(0, 300)}`).toContain(code);
  expectNoUpstreamSince(h, m, what);
  expectNothingSensitive(h, m, res, what);
  return code;
}

/** No card number, secret key, admin token or cookie secret in the body or new log lines. */
export function expectNothingSensitive(
  h: StubUnderTest,
  m: Mark,
  res: RawResponse,
  what: string,
): void {
  const secrets = [h.stub.config.secretKey, ADMIN_TOKEN, COOKIE_SECRET];
  const logText = h.logs.lines.slice(m.logLines).join('');
  for (const s of [...CARD_NUMBERS, ...secrets]) {
    expect(res.text.includes(s), `${what}: body carries ${s.slice(0, 4)}…`).toBe(false);
    expect(logText.includes(s), `${what}: log carries ${s.slice(0, 4)}…`).toBe(false);
  }
  expect(({} as Record<string, unknown>).polluted, `${what}: Object.prototype polluted`).toBe(
    undefined,
  );
}

/** A status that is never acceptable, whatever the input. */
export function expectNo5xx(res: RawResponse, what: string): void {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) expectErrorEnvelope(res, what);
}
