/**
 * A request that runs longer than the reconciler's orphan age (a renew-due run through hundreds
 * of renewals) keeps its Idempotency-Key: the key says it is alive while the request runs, so
 * the reconciler never releases it, the answer is stored under it, and a retry with the same key
 * replays that answer instead of running again.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { signal } from '../helpers/signal.ts';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

let h: HardeningHarness;
let slow: ReturnType<typeof signal> | undefined;
let arrived: ReturnType<typeof signal>;

beforeEach(async () => {
  h = await hardeningHarness({
    idempotencyHeartbeatMs: 10,
    // The call is held on purpose while the reconciler runs; the harness's 2.5 s timeout counts
    // that hold, and on a loaded machine it ran out before the emulator answered (502).
    // Nothing here tests a timeout.
    timeouts: { paymentMs: 30_000, defaultMs: 30_000 },
    // Holds the capture-context call while the test moves the clock past the orphan age.
    wrapFetch: (f) => async (input, init) => {
      if (slow && String(input).includes('/microform/v2/sessions')) {
        arrived.fire();
        await slow.reached;
      }
      return f(input, init);
    },
  });
});
afterEach(() => h.close());

it('keeps the key of a request still running past the orphan age, and replays its answer', async () => {
  const shopper = new SetupShopper(h);
  await shopper.session(); // the shopper cookie, and the public key cached
  // Past the minutes in which that session would be handed out again: the next one is new.
  h.clock.advance(6 * 60_000);
  slow = signal();
  arrived = signal();
  const key = { 'idempotency-key': 'slow-session' };
  const first = shopper.request('POST', '/api/checkout/sessions', {}, key);
  await arrived.reached;
  h.clock.advance(120_000);
  // A heartbeat at the new time (every 10 ms here), then the reconciler's pass.
  await new Promise((r) => setTimeout(r, 100));
  const report = await h.stub.reconciler.runOnce();
  expect(report.releasedKeys).toBe(0);
  slow.fire();
  const answer = await first;
  expect(answer.status).toBe(201);
  const again = await shopper.request('POST', '/api/checkout/sessions', {}, key);
  expect(again.status).toBe(201);
  expect(again.body.sessionId).toBe(answer.body.sessionId);
});
