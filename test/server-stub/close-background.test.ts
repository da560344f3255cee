/**
 * `stub.close()` waits for what a request started and did not wait for: a session's Flex v1 key
 * (requested beside the capture context, never awaited by the shopper). Closing without it left
 * the key's call running past `close`, and its write then met a closed database (`PGlite is
 * closed`; the key id lost).
 */
import { expect, it } from 'vitest';
import { signal } from '../helpers/signal.ts';
import { harness, Shopper } from './harness.ts';

it('waits for a Flex v1 key still on its way after its session was answered', async () => {
  const gate = signal();
  let upstream: typeof fetch | undefined;
  const h = await harness({
    fetch: async (input, init) => {
      if (String(input).endsWith('/flex/v1/keys')) await gate.reached;
      if (!upstream) throw new Error('harness not ready');
      return upstream(input, init);
    },
  });
  upstream = h.emulatorFetch;
  const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
  expect(r.status).toBe(201);
  expect(h.stub.inFlight()).toBe(0); // answered: no request is running

  let closed = false;
  const closing = h.stub.close().then(() => {
    closed = true;
  });
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  expect(closed).toBe(false);
  gate.fire();
  await closing;

  const row = await h.stub.db.query('SELECT flex_key_id FROM checkout_sessions WHERE id = $1', [
    r.body.sessionId,
  ]);
  expect(row.rows[0]).toMatchObject({ flex_key_id: expect.any(String) });
  expect(h.logs.text).not.toContain('could not record flex key id');
  await h.stub.db.close();
});
