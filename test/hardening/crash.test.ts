/**
 * SIGKILL while a payment is in flight (issue 6): the stub runs as a child process (`tsx
 * server-stub/main.ts`) on a temp DATA_DIR against an emulator served over loopback HTTP in
 * this test. The emulator takes the sale and never answers (a `timeout` fault: processed, answer
 * lost); the stub is killed while it waits, leaving a `pending` row and an `in_flight`
 * idempotency key. A restarted stub must reconcile both: the sale is found by lookup and
 * recorded once, and the shopper's retry with the same key gets the final answer, not 409.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { type Child, kill, startStub, until } from '../helpers/stub-process.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { ADMIN_TOKEN, VISA } from '../server-stub/harness.ts';

let emulator: RunningEmulator;
let dataDir: string;
let first: Child | undefined;
let second: Child | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ keys: testKeys() });
  dataDir = await mkdtemp(join(tmpdir(), 'stub-crash-'));
});
afterAll(async () => {
  await kill(first);
  await kill(second);
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a stub killed with a payment in flight', () => {
  it('reconciles the payment after a restart and answers the in-flight key', async () => {
    const env = {
      CYBERSOURCE_BASE_URL: `http://127.0.0.1:${emulator.port}`,
      DATA_DIR: dataDir,
      PORT: '0',
      CHECKOUT_PUBLIC_URL: 'http://localhost:3000',
      ADMIN_TOKEN,
      COOKIE_SECRET: 'a-test-cookie-secret-that-is-long-enough-123',
      LOG_LEVEL: 'info',
      RECONCILE_AFTER_SECONDS: '1',
      RECONCILE_INTERVAL_SECONDS: '0.5',
    };
    first = await startStub(env);
    const origin = first.url;
    const post = (base: string, path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { origin: base, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });

    const sessionRes = await post(
      origin,
      '/api/checkout/sessions',
      {},
      { 'idempotency-key': 's-1' },
    );
    expect(sessionRes.status).toBe(201);
    const cookie = (sessionRes.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const session = await sessionRes.json();
    const mint = await fetch(`${emulator.url}/__emulator/transient-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ captureContext: session.captureContext, card: VISA }),
    });
    const { transientToken } = await mint.json();
    await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'POST', path: '/pts/v2/payments', fault: 'timeout' }),
    });
    const payBody = { sessionId: session.sessionId, transientToken, item: { id: 'tshirt' } };
    const key = { 'idempotency-key': 'pay-crash-1', cookie };
    const hanging = post(origin, '/api/checkout/payments', payBody, key).catch(() => undefined);

    // The sale reached CyberSource (and was processed); now the stub dies before any answer.
    await until('the sale to reach the emulator', async () =>
      emulator.state.requests.list().some((r) => r.path === '/pts/v2/payments') ? true : undefined,
    );
    await kill(first);
    expect(await hanging).toBeUndefined();

    second = await startStub({ ...env, PAYMENT_TIMEOUT_SECONDS: '2' });
    const base = second.url;
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const PaymentList = z.object({
      payments: z.array(
        z.object({ id: z.string(), status: z.string(), cybersourceId: z.string().nullable() }),
      ),
    });
    const payment = await until(
      'the payment to be reconciled',
      async () => {
        const res = await fetch(`${base}/api/admin/payments?limit=5`, { headers: auth });
        const [p] = PaymentList.parse(await res.json()).payments;
        return p && p.status !== 'pending' && p.status !== 'unknown' ? p : undefined;
      },
      () => `\n${second?.output.join('\n') ?? ''}`,
    );

    const sales = emulator.state.payments
      .all('testrest')
      .filter((t) => t.kind === 'payment' && t.clientReference.code === payment.id);
    expect(sales).toHaveLength(1);
    expect(payment.status).toBe('succeeded');
    expect(payment.cybersourceId).toBe(sales[0]?.id);
    expect(
      emulator.state.requests.list().filter((r) => r.path === '/pts/v2/payments'),
    ).toHaveLength(1);

    // The key the crash left in flight now answers the outcome (before the fix: 409 forever).
    const retry = await post(base, '/api/checkout/payments', payBody, key);
    expect(retry.status).toBe(201);
    expect((await retry.json()).payment).toMatchObject({ id: payment.id, status: 'succeeded' });
  }, 60_000);
});
