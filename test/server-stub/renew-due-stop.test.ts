/**
 * `npm run renew-due` stopped by its scheduler (SIGTERM) in the middle of a run: the renewal
 * being charged finishes, no other starts, the report lists the rest as `notStarted` and the
 * command exits as usual. The stub and the command run as processes on one DATA_DIR against an
 * emulator in this test, whose answers are held while the signal is sent.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { openStore } from '../../server-stub/store/index.ts';
import { type Child, holdAnswers, kill, startStub, until } from '../helpers/stub-process.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { VISA } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let emulator: RunningEmulator;
let dataDir: string;
let stub: Child | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ keys: testKeys() });
  dataDir = await mkdtemp(join(tmpdir(), 'renew-due-stop-'));
});
afterAll(async () => {
  await kill(stub);
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

const env = () => ({
  CYBERSOURCE_BASE_URL: `http://127.0.0.1:${emulator.port}`,
  DATA_DIR: dataDir,
  LOG_LEVEL: 'info',
  RECONCILE_INTERVAL_SECONDS: '0',
});

const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** A shopper subscribing to the demo catalog's monthly plan with a new card. */
async function subscribe(c: Child): Promise<string> {
  const shopper = { origin: c.url, 'idempotency-key': crypto.randomUUID() };
  const session = await json(`${c.url}/api/checkout/sessions`, {}, shopper);
  expect(session.status).toBe(201);
  const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { sessionId, captureContext } = await session.json();
  const minted = await json(`${emulator.url}/__emulator/transient-tokens`, {
    captureContext,
    card: VISA,
  });
  const { transientToken } = await minted.json();
  const paid = await json(
    `${c.url}/api/checkout/payments`,
    { sessionId, transientToken, item: { id: 'pro-monthly' } },
    { origin: c.url, cookie, 'idempotency-key': crypto.randomUUID() },
  );
  expect(paid.status).toBe(201);
  return (await paid.json()).subscription.id;
}

it('finishes the renewal in flight on SIGTERM, starts no other and lists it as not started', async () => {
  stub = await startStub({ ...env(), PORT: '0', COOKIE_SECRET: 'c'.repeat(40) });
  const subs = [await subscribe(stub), await subscribe(stub)];
  stub.proc.kill('SIGTERM');
  await until('the stub to stop', async () => (stub?.proc.exitCode === null ? undefined : true));
  // Both periods ended yesterday: due now, for a command that reads the real clock.
  const db = await openStore({ dataDir });
  await db.query(
    `UPDATE subscriptions SET current_period_end = now() - interval '1 day' WHERE id = ANY($1)`,
    [subs],
  );
  await db.close();

  emulator.state.requests.clear();
  await holdAnswers(emulator.url, 1_500);
  const job = spawn(process.execPath, ['--import', 'tsx', 'server-stub/renew-due.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const stdout: string[] = [];
  job.stdout.on('data', (d: Buffer) => {
    output.push(d.toString());
    stdout.push(d.toString());
  });
  job.stderr.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => job.once('exit', resolve));
  try {
    const sales = () => emulator.state.requests.list().filter((r) => r.path === '/pts/v2/payments');
    // The command's start (tsx, then the embedded store) is most of this wait.
    await until(
      'the first renewal to reach CyberSource',
      async () => (sales().length > 0 ? true : undefined),
      () => output.join(''),
      45_000,
    );
    job.kill('SIGTERM');
    expect(await exited).toBe(0);
    const log = output.join('');
    expect(log).toContain('renew-due: stopping after the renewal in flight');
    const finished = log
      .split('\n')
      .map((line) => (line.startsWith('{') ? JSON.parse(line) : undefined))
      .find((l) => l?.msg === 'renew-due finished');
    expect(finished).toMatchObject({ due: 2, failed: [], declined: [] });
    expect(finished.renewed).toHaveLength(1);
    expect([...finished.renewed, ...finished.notStarted].sort()).toEqual([...subs].sort());
    expect(sales()).toHaveLength(1);
    // The report is the last line on stdout, after every log line (README: a scheduler's
    // wrapper reads it with `tail -1`).
    const last = JSON.parse(stdout.join('').trimEnd().split('\n').at(-1) ?? '');
    expect(last).not.toHaveProperty('msg');
    expect(last).toEqual({
      renewed: finished.renewed,
      declined: [],
      held: [],
      skipped: [],
      failed: [],
      notStarted: finished.notStarted,
      more: false,
    });
  } finally {
    if (job.exitCode === null) job.kill('SIGKILL');
    await holdAnswers(emulator.url, 0);
  }
  // Three processes start in turn (the stub, a store, the command): far above the default
  // 30 s on a loaded two-core machine, as in CI beside the other workers.
}, 90_000);
