/**
 * Saved-card requests are limited per IP and per shopper (`limits/rules.ts` `cards`): each calls
 * TMS, and one cookie looping on them must not have CyberSource throttle the merchant's sales.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Harness, harness, upstreamCalls } from '../harness.ts';
import { expectLimited, FakeClock, limits, Tab, TSHIRT } from './support.ts';

const MINUTE = 60_000;
let h: Harness;
beforeAll(async () => {
  h = await harness({
    now: new FakeClock().now,
    overrides: {
      limits: limits({
        cardsPerIp: { max: 5, windowMs: MINUTE },
        cardsPerShopper: { max: 3, windowMs: MINUTE },
      }),
    },
  });
});
afterAll(() => h.close());

const tmsCalls = async () => (await upstreamCalls(h)).filter((r) => r.path.startsWith('/tms/'));

it('refuses a shopper past its saved-card requests with 429 before any TMS call; another address or shopper is not affected until its own limit', async () => {
  const tab = new Tab(h, '198.51.100.20');
  const saved = await tab.pay({
    ...(await tab.payment(await tab.session(), TSHIRT)),
    savePaymentMethod: true,
  });
  expect(saved.status).toBe(201);
  const card = String(saved.body.paymentMethodId);
  expect((await tab.request('GET', '/api/payment-methods')).status).toBe(200);
  expect((await tab.request('PUT', `/api/payment-methods/${card}/default`)).status).toBe(200);
  expect((await tab.request('GET', '/api/payment-methods')).status).toBe(200);
  const before = (await tmsCalls()).length;
  expectLimited(await tab.request('GET', '/api/payment-methods'), 'rate_limited');
  expectLimited(await tab.request('DELETE', `/api/payment-methods/${card}`), 'rate_limited');
  expect((await tmsCalls()).length).toBe(before);

  // The same address, other shoppers: two more requests, then the address's limit of 5.
  for (let i = 0; i < 2; i++)
    expect((await new Tab(h, '198.51.100.20').request('GET', '/api/payment-methods')).status).toBe(
      200,
    );
  expectLimited(
    await new Tab(h, '198.51.100.20').request('GET', '/api/payment-methods'),
    'rate_limited',
  );
  expect((await new Tab(h, '198.51.100.21').request('GET', '/api/payment-methods')).status).toBe(
    200,
  );
});
