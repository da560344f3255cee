/**
 * A payment whose final write was lost after the sale (a database error between CyberSource's
 * approval and the row's update) answers 500 at first; once the reconciler has found the sale,
 * the same Idempotency-Key answers it, so the shopper's "Check again" learns they paid.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { upstreamCalls } from '../server-stub/harness.ts';
import {
  type FailingStore,
  type HardeningHarness,
  harnessFailingOnce,
  SetupShopper,
} from './support.ts';

let h: HardeningHarness;
let store: FailingStore;

beforeEach(async () => {
  ({ h, store } = await harnessFailingOnce('UPDATE payments SET status'));
});
afterEach(() => h.close());

it('replaces a 500 answered after the sale with the sale, once the reconciler has found it', async () => {
  const shopper = new SetupShopper(h);
  const body = await shopper.newCardBody({ id: 'tshirt' });
  const key = { 'idempotency-key': 'attempt-1' };
  store.arm();
  const first = await shopper.request('POST', '/api/checkout/payments', body, key);
  expect(store.armed()).toBe(false);
  expect([first.status, first.body.error.code]).toEqual([500, 'internal_error']);
  // Until the reconciler has looked, the replay is the same 500 (the widget keeps confirming).
  expect((await shopper.request('POST', '/api/checkout/payments', body, key)).status).toBe(500);

  // A row left pending waits for the payment timeout on top of RECONCILE_AFTER_SECONDS.
  h.clock.advance(63_000);
  await h.stub.reconciler.runOnce();
  const replay = await shopper.request('POST', '/api/checkout/payments', body, key);
  expect(replay.status).toBe(201);
  expect(replay.body.payment).toMatchObject({ status: 'succeeded', amount: 2500 });
  const sales = (await upstreamCalls(h)).filter(
    (c) => c.method === 'POST' && c.path === '/pts/v2/payments',
  );
  expect(sales).toHaveLength(1);
});
