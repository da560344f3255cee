/**
 * Memory soak of the stub: thousands of requests of every kind a busy day or a bot sends, the
 * stub in this process (`app.request`, as `stub-latency.ts` drives it) against the emulator in
 * its own (`soak-emulator.ts`, reusing its RSA keys), printing the heap after a forced GC and
 * the process's active handles every `--every` rounds. Behind a trusted proxy (TRUST_PROXY=1),
 * each round comes from its own X-Forwarded-For address. A last phase sprays saved-card reads
 * from `--spray` addresses with no cookie (two new rate-limit keys each) and times them.
 *
 *   node --expose-gc --import tsx bench/memory-soak.ts --rounds 3000 --every 500 --spray 60000
 *
 * `--small-caps` shrinks the session cache and the rate-limit keys, so what still grows is held
 * elsewhere; `--database-url` runs on PostgreSQL (a throwaway schema) instead of PGlite.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { SessionCache } from '../server-stub/checkout/session-cache.ts';
import { SlidingWindowLog } from '../server-stub/limits/request-rate.ts';
import { createLogger } from '../server-stub/logger.ts';
import { openStore } from '../server-stub/store/index.ts';
import { dropSchema } from '../server-stub/store/postgres.ts';
import { createStub, type Stub } from '../server-stub/stub.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3000' },
    every: { type: 'string', default: '500' },
    spray: { type: 'string', default: '0' },
    // Shrinks the two capped structures (sessions, rate-limit keys) so a short soak reaches
    // their caps: whatever still grows after that is held somewhere else.
    'small-caps': { type: 'boolean', default: false },
    // PostgreSQL (a throwaway schema, dropped after) instead of the embedded store.
    'database-url': { type: 'string' },
  },
});
const ROUNDS = Number(values.rounds);
const EVERY = Number(values.every);
const SPRAY = Number(values.spray);
const ORIGIN = 'http://localhost:3000';
const VISA = {
  number: '4111111111111111',
  securityCode: '123',
  expirationMonth: '12',
  expirationYear: '2031',
};

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

function startEmulator(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/soak-emulator.ts'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}): ${out}`)));
  });
}

/** Counted lines, thrown away: pino still serializes every line and child logger. */
class Discard extends Writable {
  lines = 0;
  override _write(_chunk: Buffer, _enc: string, done: () => void): void {
    this.lines += 1;
    done();
  }
}

const ip = (n: number) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
const rid = () => crypto.randomUUID();

async function send(
  stub: Stub,
  path: string,
  init: { method?: string; body?: string; cookie?: string | undefined; from: string; key?: string },
) {
  const res = await stub.app.request(`${ORIGIN}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      origin: ORIGIN,
      'x-forwarded-for': init.from,
      ...(init.cookie ? { cookie: init.cookie } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.key ? { 'idempotency-key': init.key } : {}),
    },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  const text = await res.text();
  return { status: res.status, text, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

const statuses = new Map<string, number>();
const count = (what: string, status: number) => {
  const k = `${what} ${status}`;
  statuses.set(k, (statuses.get(k) ?? 0) + 1);
};

/** One round: a shopper's checkout and card list, and a bot's noise, from one address. */
async function round(stub: Stub, emulatorUrl: string, n: number): Promise<void> {
  const from = ip(n);
  const s = await send(stub, '/api/checkout/sessions', {
    method: 'POST',
    body: '{}',
    from,
    key: rid(),
  });
  count('session', s.status);
  const cookie = s.cookie;
  if (s.status === 201) {
    const session = JSON.parse(s.text) as { sessionId: string; captureContext: string };
    const minted = await fetch(`${emulatorUrl}/__emulator/transient-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ captureContext: session.captureContext, card: VISA }),
    });
    const { transientToken } = (await minted.json()) as { transientToken: string };
    const body = JSON.stringify({
      sessionId: session.sessionId,
      transientToken,
      item: { id: 'tshirt' },
      ...(n % 4 === 0 ? { savePaymentMethod: true } : {}),
    });
    const p = await send(stub, '/api/checkout/payments', {
      method: 'POST',
      body,
      cookie,
      from,
      key: rid(),
    });
    count('pay', p.status);
    const l = await send(stub, '/api/payment-methods', { cookie, from });
    count('cards', l.status);
  }
  // A payment naming a session nobody started, under a new key (stored, replayable).
  const unknown = JSON.stringify({
    sessionId: `cs_${rid().replaceAll('-', '').slice(0, 22)}`,
    transientToken: 'eyJ.eyJ.sig',
    item: { id: 'tshirt' },
  });
  count(
    'unknown-session',
    (
      await send(stub, '/api/checkout/payments', {
        method: 'POST',
        body: unknown,
        from,
        key: rid(),
      })
    ).status,
  );
  count(
    'bad-json',
    (
      await send(stub, '/api/checkout/payments', {
        method: 'POST',
        body: '{"x":',
        from,
        key: rid(),
      })
    ).status,
  );
  count(
    'no-key',
    (await send(stub, '/api/checkout/payments', { method: 'POST', body: '{}', from })).status,
  );
  count('404', (await send(stub, `/api/${rid()}`, { from })).status);
  count('404-root', (await send(stub, `/${rid()}`, { from })).status);
  count('405', (await send(stub, '/api/catalog', { method: 'DELETE', from })).status);
  count('catalog', (await send(stub, '/api/catalog', { from })).status);
  count('health', (await send(stub, '/healthz', { from })).status);
  count('widget', (await send(stub, '/widget/checkout.js', { from })).status);
}

function resources(): string {
  const tally = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) tally.set(r, (tally.get(r) ?? 0) + 1);
  return [...tally].map(([k, v]) => `${k}×${v}`).join(' ');
}

const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (b: number) => (b / 1048576).toFixed(1);

function sizes(stub: Stub): string {
  const internals = stub.checkout as unknown as {
    limits: { log: { size: number } };
    sessions: { sessions: Map<string, unknown> };
  };
  return `rateKeys=${internals.limits.log.size} sessionCache=${internals.sessions.sessions.size} inFlight=${stub.inFlight()}`;
}

function sample(label: string, stub: Stub | undefined, t0: number): void {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const s = ((performance.now() - t0) / 1000).toFixed(0);
  out(
    `${label.padEnd(14)} t=${s}s heapUsed=${mb(m.heapUsed)}MB external=${mb(m.external)}MB arrayBuffers=${mb(m.arrayBuffers)}MB rss=${mb(m.rss)}MB ${stub ? sizes(stub) : ''} | ${resources()}`,
  );
}

const emulator = await startEmulator();
const dataDir = await mkdtemp(join(tmpdir(), 'soak-stub-'));
const sink = new Discard();
const t0 = performance.now();
sample('before stub', undefined, t0);
const databaseUrl = values['database-url'];
const schema = `soak_${process.pid}`;
const db = databaseUrl ? await openStore({ databaseUrl, schema }) : undefined;
const stub = await createStub({
  ...(db ? { db } : {}),
  logger: createLogger({ level: 'info', destination: sink }),
  env: {
    CYBERSOURCE_BASE_URL: emulator.url,
    ADMIN_TOKEN: 'soak-admin-token-0123456789',
    DATA_DIR: dataDir,
    TRUST_PROXY: '1',
    // Every round pays with the same test card, which would rightly trip its cap.
    DECLINE_LIMIT_PER_CARD: 'off',
  },
});
if (values['small-caps']) {
  const internals = stub.checkout as unknown as { limits: { log: unknown }; sessions: unknown };
  internals.sessions = new SessionCache(100);
  internals.limits.log = new SlidingWindowLog(600_000, 1000);
}
try {
  await round(stub, emulator.url, 0); // warm-up
  sample('warm', stub, t0);
  for (let n = 1; n <= ROUNDS; n++) {
    await round(stub, emulator.url, n);
    if (n % EVERY === 0) sample(`round ${n}`, stub, t0);
  }
  out([...statuses].map(([k, v]) => `${k}:${v}`).join(' '));
  if (SPRAY > 0) {
    const started = performance.now();
    let slice = performance.now();
    const step = Math.max(1, Math.floor(SPRAY / 6));
    for (let n = 1; n <= SPRAY; n++) {
      const r = await send(stub, '/api/payment-methods', { from: ip(1_000_000 + n) });
      count('spray', r.status);
      if (n % step === 0) {
        const per = ((performance.now() - slice) / step).toFixed(3);
        slice = performance.now();
        sample(`spray ${n}`, stub, t0);
        out(`  ${per} ms per request over the last ${step}`);
      }
    }
    out(
      `spray: ${SPRAY} in ${((performance.now() - started) / 1000).toFixed(1)} s; statuses ${statuses.get('spray 200')} ok`,
    );
  }
} finally {
  await stub.close();
  await db?.close();
  if (databaseUrl) await dropSchema(databaseUrl, schema);
  sample('after close', undefined, t0);
  emulator.child.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
  // What would keep the process alive, a second later.
  await new Promise((r) => setTimeout(r, 1000));
  sample('after 1 s', undefined, t0);
}
