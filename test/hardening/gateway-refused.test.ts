/**
 * CyberSource refusing a sale before anything is charged (the connection refused before the
 * request left, a 401 after a key rotation, a 429 throttle): the payment is `failed`, and the
 * shopper is told they were not charged (402 `payment_canceled`, the gateway's code in `reason`),
 * never a 5xx, which the widget must read as "maybe charged" and answer with "we are confirming
 * your payment, do not pay again" for a payment that never happened. The same key keeps that
 * answer after the reconciler's passes; a new attempt pays.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newKey } from '../server-stub/harness.ts';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

type Refusal = 'refused' | 'unauthorized' | 'throttled';
let refusal: Refusal | undefined;
let h: HardeningHarness;

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  h = await hardeningHarness({
    wrapFetch: (upstream) => async (input, init) => {
      if (new URL(String(input)).pathname !== '/pts/v2/payments' || !refusal)
        return upstream(input, init);
      if (refusal === 'refused')
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      return refusal === 'unauthorized'
        ? answer(401, { response: { rmsg: 'Authentication Failed' } })
        : answer(429, { message: 'Too many requests' });
    },
  });
});
afterAll(() => h.close());

it.each<[Refusal, string]>([
  ['refused', 'gateway_unavailable'],
  ['unauthorized', 'gateway_authentication_failed'],
  ['throttled', 'gateway_throttled'],
])(
  'a sale %s before charging is 402 payment_canceled, for good under its key',
  async (how, code) => {
    const shopper = new SetupShopper(h);
    const key = newKey();
    const body = await shopper.newCardBody({ id: 'tshirt' });
    refusal = how;
    const first = await shopper.request('POST', '/api/checkout/payments', body, {
      'idempotency-key': key,
    });
    refusal = undefined;
    expect([first.status, first.body.error.code, first.body.error.reason]).toEqual([
      402,
      'payment_canceled',
      code,
    ]);
    expect(first.body.payment).toMatchObject({ status: 'failed' });
    h.clock.advance(200_000);
    await h.stub.reconciler.runOnce();
    const again = await shopper.request('POST', '/api/checkout/payments', body, {
      'idempotency-key': key,
    });
    expect([again.status, again.body.error.code]).toEqual([402, 'payment_canceled']);
    // Nothing was charged: the shopper pays with a new attempt.
    const paid = await shopper.request(
      'POST',
      '/api/checkout/payments',
      await shopper.newCardBody({ id: 'tshirt' }),
      { 'idempotency-key': newKey() },
    );
    expect(paid.status).toBe(201);
  },
);
