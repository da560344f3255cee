/**
 * Stopping `npm run server` (server-stub/shutdown.ts): on SIGTERM the readiness probe fails at
 * once while requests are still served for SHUTDOWN_DELAY_SECONDS, a request in flight is
 * answered, then the port closes and the process exits 0; SHUTDOWN_TIMEOUT_SECONDS after the
 * signal, or on a second signal, what is still open is cut and it exits 1. The stub runs as a
 * process against an emulator in this test whose answers are held (its latency control).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { type Child, holdAnswers, kill, startStub, until } from '../helpers/stub-process.ts';
import { testKeys } from '../helpers/test-keys.ts';

let emulator: RunningEmulator;
let dataDir: string;
let child: Child | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ keys: testKeys() });
  dataDir = await mkdtemp(join(tmpdir(), 'stub-shutdown-'));
});
afterEach(async () => {
  await kill(child);
  await latency(0);
});
afterAll(async () => {
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

const latency = (ms: number) => holdAnswers(emulator.url, ms);

function start(settings: Record<string, string>): Promise<Child> {
  return startStub({
    CYBERSOURCE_BASE_URL: `http://127.0.0.1:${emulator.port}`,
    DATA_DIR: dataDir,
    PORT: '0',
    COOKIE_SECRET: 'a-test-cookie-secret-that-is-long-enough-123',
    ADMIN_TOKEN: 'shutdown-test-admin-token',
    LOG_LEVEL: 'info',
    RECONCILE_INTERVAL_SECONDS: '0',
    ...settings,
  });
}

/** The exit code, or the signal's name; bounded. */
function exited(c: Child, ms: number): Promise<number | string> {
  if (c.proc.exitCode !== null) return Promise.resolve(c.proc.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
    c.proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal ?? 'unknown');
    });
  });
}

/** A checkout session: two CyberSource calls, each held by the emulator's latency. */
const startSession = (c: Child, signal?: AbortSignal) =>
  fetch(`${c.url}/api/checkout/sessions`, {
    method: 'POST',
    headers: {
      origin: c.url,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: '{}',
    ...(signal ? { signal } : {}),
  });

const probe = (c: Child) => fetch(`${c.url}/healthz`);

/** Resolves with the answer once the probe says the process is going. */
const draining = (c: Child) =>
  until(
    'the probe to answer 503',
    async () => {
      const res = await probe(c);
      return res.status === 503 ? res : undefined;
    },
    () => c.output.join(''),
    5_000,
  );

describe('listening', () => {
  it('listens on LISTEN_ADDRESS only when it is set (127.0.0.1 behind a proxy), on every interface when not', async () => {
    const listening = (c: Child) =>
      c.output.map((l) => /"msg":"stub listening"/.test(l) && JSON.parse(l)).find(Boolean);
    const local = await start({ LISTEN_ADDRESS: '127.0.0.1' });
    try {
      expect(listening(local)).toMatchObject({ address: '127.0.0.1' });
      expect((await probe(local)).status).toBe(200);
    } finally {
      await kill(local);
    }
    const every = await start({});
    try {
      expect(['::', '0.0.0.0']).toContain(listening(every)?.address);
    } finally {
      await kill(every);
    }
  });
});

describe('SIGTERM', () => {
  it('fails the probe, answers what is in flight and what still arrives, then closes and exits 0', async () => {
    child = await start({ SHUTDOWN_DELAY_SECONDS: '2' });
    const c = child;
    expect((await probe(c)).status).toBe(200);
    await latency(1_000);
    const inFlight = startSession(c);
    // The session's calls have reached the emulator (they are held there) before the signal.
    await new Promise((r) => setTimeout(r, 300));
    c.proc.kill('SIGTERM');

    const refused = await draining(c);
    expect(await refused.json()).toMatchObject({ error: { code: 'shutting_down' } });
    expect(refused.headers.get('connection')).toBe('close');
    // Not ready, but serving: a shopper whose request still lands here is answered.
    const catalog = await fetch(`${c.url}/api/catalog`, { headers: { origin: c.url } });
    expect(catalog.status).toBe(200);
    expect(catalog.headers.get('connection')).toBe('close');
    const session = await inFlight;
    expect(session.status).toBe(201);
    expect(await session.json()).toHaveProperty('sessionId');

    expect(await exited(c, 8_000)).toBe(0);
    await expect(probe(c)).rejects.toThrow();
    const log = c.output.join('');
    expect(log).toContain('stopping: /healthz answers 503');
    expect(log).toContain('"msg":"stopped"');
    // A process start, two held CyberSource calls and the delay: 16 s seen in CI beside the other
    // workers, so well above the default 30 s.
  }, 60_000);

  it('finishes a request whose client has gone before it closes the store', async () => {
    child = await start({ SHUTDOWN_DELAY_SECONDS: '0' });
    const c = child;
    await latency(1_500);
    // The shopper closes the tab while CyberSource is answering: the connection goes, the
    // handler (and whatever it writes) does not.
    const gone = new AbortController();
    const inFlight = startSession(c, gone.signal).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 300));
    gone.abort();
    expect(await inFlight).toBe('aborted');
    c.proc.kill('SIGTERM');
    expect(await exited(c, 8_000)).toBe(0);
    const log = c.output.join('');
    expect(log).toMatch(/"inFlight":1,.*stopping: \/healthz answers 503/);
    // Answered (to nobody) with everything written, and only then the store closed.
    const answered = log.search(/"path":"\/api\/checkout\/sessions","status":201/);
    expect(answered).toBeGreaterThan(-1);
    expect(log.indexOf('"msg":"stopped"')).toBeGreaterThan(answered);
  }, 60_000);

  it('cuts a request still running at SHUTDOWN_TIMEOUT_SECONDS and exits 1', async () => {
    child = await start({ SHUTDOWN_TIMEOUT_SECONDS: '1' });
    const c = child;
    await latency(8_000);
    const inFlight = startSession(c).then(
      (res) => res.status,
      () => 'connection cut',
    );
    await new Promise((r) => setTimeout(r, 300));
    c.proc.kill('SIGTERM');
    // Cut at 1 s: without the timeout the held session would be answered at 8 s, exit 0.
    expect(await exited(c, 7_500)).toBe(1);
    expect(await inFlight).toBe('connection cut');
    expect(c.output.join('')).toMatch(
      /"inFlight":1,.*shutdown timeout: connections still open cut/,
    );
  }, 60_000);

  it('stops at once on a second signal while draining', async () => {
    child = await start({ SHUTDOWN_DELAY_SECONDS: '30', SHUTDOWN_TIMEOUT_SECONDS: '60' });
    const c = child;
    c.proc.kill('SIGTERM');
    await draining(c);
    c.proc.kill('SIGTERM');
    expect(await exited(c, 5_000)).toBe(1);
    expect(c.output.join('')).toContain('SIGTERM again: connections cut');
  }, 60_000);
});
