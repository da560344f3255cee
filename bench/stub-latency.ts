/**
 * Issue 4 figures: how many upstream round trips a shopper waits for, measured as
 * latency ÷ the emulator's injected 50 ms (target ≤ 1.1: one round trip), and checkouts per
 * second at 0 ms. The emulator answers each request 50 ms after it arrived, its own processing
 * included (a service's round-trip time); what is left is the stub's own part, also printed,
 * with the share of it spent waiting on the database. The emulator runs in its own process over
 * loopback HTTP; the stub runs here with its default embedded database, driven through
 * `app.request` like a browser would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorMleSettings } from '../demo/mle-settings.ts';
import { type Database, openStore } from '../server-stub/store/index.ts';
import { dropSchema } from '../server-stub/store/postgres.ts';
import { createStub, type Stub } from '../server-stub/stub.ts';
import { type ChildEmulator, startChildEmulator, waitForKeyPool } from './child-emulator.ts';

const ORIGIN = 'http://localhost:3000';
const LATENCY_MS = 50;
const VISA = {
  number: '4111111111111111',
  securityCode: '123',
  expirationMonth: '12',
  expirationYear: '2031',
};

export interface StubLatency {
  sessionMs: number;
  payMs: number;
  /** The stub's own part: each request's latency less the CyberSource call it waited for. */
  sessionOwnMs: number;
  payOwnMs: number;
  /**
   * Of the own part, the time spent waiting on the database (statements, and transactions
   * whole with their BEGIN and COMMIT): each durable write a payment needs is one of these.
   */
  sessionDbMs: number;
  payDbMs: number;
  sessionRatio: number;
  payRatio: number;
  /**
   * One bare request to the emulator from this process (no stub, no database), measured
   * between the checkouts: the least any request through the stub can take, ÷ 50 ms.
   */
  floorMs: number;
  floorRatio: number;
  /**
   * The stub's own part of the same checkouts, one at a time, with the emulator answering at
   * once (0 ms): its code and database pages still in the CPU's caches from the request before.
   * After a 50 ms wait they are not (on a shared machine other work runs in between), and the
   * same steps take longer; the ratio of the two says how much of `*OwnMs` is that.
   */
  sessionOwnWarmMs: number;
  payOwnWarmMs: number;
  checkoutsPerSecond: number;
  checkouts: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function control(emulator: ChildEmulator, path: string, body: unknown, method = 'POST') {
  const res = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
}

/**
 * A POST as the widget makes it; `jar` carries the shopper cookie between calls. With its
 * Content-Length, as a browser's fetch sends a string body: without one the body limit must
 * read the body through a stream to count it, 0.46 ms a request no shopper's request costs.
 */
async function post(stub: Stub, path: string, body: unknown, jar: { cookie?: string | undefined }) {
  const text = JSON.stringify(body);
  const res = await stub.app.request(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: {
      ...(jar.cookie ? { cookie: jar.cookie } : {}),
      origin: ORIGIN,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      'idempotency-key': crypto.randomUUID(),
    },
    body: text,
  });
  jar.cookie ??= res.headers.get('set-cookie')?.split(';')[0];
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** How long the stub's last call to each CyberSource path took, headers to body. */
const upstreamMs = new Map<string, number>();
const timedFetch: typeof fetch = async (input, init) => {
  const t = performance.now();
  const res = await fetch(input, init);
  const body = await res.arrayBuffer();
  upstreamMs.set(new URL(String(input)).pathname, performance.now() - t);
  return new Response(body, { status: res.status, headers: res.headers });
};

/**
 * Milliseconds spent in database calls, summed; read before and after one request (the
 * latency phase runs one checkout at a time). A transaction counts whole, its statements not
 * again; the JS between them is the decline caps' and the payment row's own, microseconds.
 */
const inDatabase = { ms: 0 };
function timedDatabase(db: Database): Database {
  const timed = async <T>(run: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    try {
      return await run();
    } finally {
      inDatabase.ms += performance.now() - t;
    }
  };
  return {
    ...db,
    query: (sql, params) => timed(() => db.query(sql, params)),
    transaction: (fn) => timed(() => db.transaction(fn)),
  };
}

/**
 * The floor under both ratios: a request to the emulator that the stub's CyberSource calls
 * could not beat, sent with the same `fetch`. Unsigned, so the emulator answers 401, held like
 * every answer until 50 ms after the request arrived.
 */
async function bareRoundTrip(emulator: ChildEmulator): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${emulator.url}/pts/v2/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  await res.arrayBuffer();
  if (res.status !== 401) throw new Error(`bare round trip: ${res.status}`);
  return performance.now() - t;
}

/** One shopper's checkout: each call's latency, and the part of it the stub spent itself. */
async function checkout(
  stub: Stub,
  emulator: ChildEmulator,
): Promise<
  Pick<StubLatency, 'sessionMs' | 'payMs' | 'sessionOwnMs' | 'payOwnMs' | 'sessionDbMs' | 'payDbMs'>
> {
  const jar: { cookie?: string | undefined } = {};
  let dbBefore = inDatabase.ms;
  let t = performance.now();
  const session = await post(stub, '/api/checkout/sessions', {}, jar);
  const sessionMs = performance.now() - t;
  const sessionDbMs = inDatabase.ms - dbBefore;
  // The Flex v1 key runs in parallel; the shopper waits for the capture context.
  const sessionOwnMs = sessionMs - (upstreamMs.get('/microform/v2/sessions') ?? 0);
  const minted = await control(emulator, '/transient-tokens', {
    captureContext: session.captureContext,
    card: VISA,
  });
  dbBefore = inDatabase.ms;
  t = performance.now();
  await post(
    stub,
    '/api/checkout/payments',
    {
      sessionId: session.sessionId,
      transientToken: minted?.transientToken,
      item: { id: 'tshirt' },
    },
    jar,
  );
  const payMs = performance.now() - t;
  return {
    sessionMs,
    payMs,
    sessionOwnMs,
    payOwnMs: payMs - (upstreamMs.get('/pts/v2/payments') ?? 0),
    sessionDbMs,
    payDbMs: inDatabase.ms - dbBefore,
  };
}

export async function benchStubLatency(
  runs = 15,
  checkouts = 200,
  concurrency = 8,
  /** A PostgreSQL server to measure on (in a throwaway schema) instead of the embedded store. */
  databaseUrl: string | undefined = undefined,
  /** Message-level encryption both ways (server-stub/README.md "Message-level encryption"). */
  mle = false,
): Promise<StubLatency> {
  // Each checkout takes two one-time RSA keys (capture context + Flex v1 key). The warm figure
  // is a comparison, not a target: half the runs, so the pool (about 4.7 keys/s here) still
  // fills in under two minutes.
  const warmRuns = Math.ceil(runs / 2);
  const keys = 2 * (runs + warmRuns + checkouts + 2);
  const emulator = await startChildEmulator({ EMULATOR_KEY_POOL: String(keys) });
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-stub-'));
  const schema = `bench_${process.pid}_${Date.now()}`;
  // Opened here rather than by the stub, so its calls can be timed: the embedded store in
  // DATA_DIR as the stub opens it by default, or PostgreSQL in a throwaway schema.
  const db = await openStore(databaseUrl ? { databaseUrl, schema } : { dataDir });
  const mleEnv = mle ? await emulatorMleSettings(emulator.url) : {};
  const stub = await createStub({
    fetch: timedFetch,
    db: timedDatabase(db),
    env: {
      CYBERSOURCE_BASE_URL: emulator.url,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      // Card-testing limits stay on, as a merchant runs them: every checkout here is a new
      // shopper, and in-process requests have no client address to count per IP. Only the
      // per-card cap is lifted: every checkout here pays with the same test card, which
      // would rightly trip it.
      DECLINE_LIMIT_PER_CARD: 'off',
      ...mleEnv,
    },
  });
  try {
    await checkout(stub, emulator); // warm-up: public key cached by kid, JIT, database pages
    await waitForKeyPool(emulator.url, keys - 4);
    await control(emulator, '/latency', { ms: LATENCY_MS }, 'PUT');
    const sessions: number[] = [];
    const pays: number[] = [];
    const sessionsOwn: number[] = [];
    const paysOwn: number[] = [];
    const sessionsDb: number[] = [];
    const paysDb: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) {
      floors.push(await bareRoundTrip(emulator));
      const r = await checkout(stub, emulator);
      sessions.push(r.sessionMs);
      pays.push(r.payMs);
      sessionsOwn.push(r.sessionOwnMs);
      paysOwn.push(r.payOwnMs);
      sessionsDb.push(r.sessionDbMs);
      paysDb.push(r.payDbMs);
    }
    await control(emulator, '/latency', { ms: 0 }, 'PUT');
    const sessionsWarm: number[] = [];
    const paysWarm: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      const r = await checkout(stub, emulator);
      sessionsWarm.push(r.sessionOwnMs);
      paysWarm.push(r.payOwnMs);
    }
    let left = checkouts;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (left-- > 0) await checkout(stub, emulator);
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const sessionMs = median(sessions);
    const payMs = median(pays);
    const floorMs = median(floors);
    return {
      sessionMs,
      payMs,
      sessionOwnMs: median(sessionsOwn),
      sessionDbMs: median(sessionsDb),
      payDbMs: median(paysDb),
      payOwnMs: median(paysOwn),
      sessionRatio: sessionMs / LATENCY_MS,
      payRatio: payMs / LATENCY_MS,
      floorMs,
      floorRatio: floorMs / LATENCY_MS,
      sessionOwnWarmMs: median(sessionsWarm),
      payOwnWarmMs: median(paysWarm),
      checkoutsPerSecond: checkouts / seconds,
      checkouts,
    };
  } finally {
    await stub.close();
    await db.close();
    if (databaseUrl) await dropSchema(databaseUrl, schema);
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
