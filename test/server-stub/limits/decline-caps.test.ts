import { afterEach, describe, expect, it } from 'vitest';
import type { CardTestingLimits } from '../../../server-stub/limits/rules.ts';
import { type Harness, harness, MASTERCARD, upstreamCalls, VISA } from '../harness.ts';
import { DECLINE, expectLimited, FakeClock, limits, Tab, TSHIRT } from './support.ts';

const MINUTE = 60_000;
const clock = new FakeClock();
let h: Harness | undefined;

/** A stub and emulator with only the caps a test exercises. */
async function useLimits(only: Partial<CardTestingLimits>): Promise<Harness> {
  h = await harness({ now: clock.now, overrides: { limits: limits(only) } });
  return h;
}
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const paymentCalls = async (h: Harness) =>
  (await upstreamCalls(h)).filter((r) => r.path === '/pts/v2/payments').length;
const declined = (r: { status: number; body: any }) =>
  r.status === 402 && r.body.error.code === 'card_declined';

describe('decline caps', () => {
  it('per checkout session: the 4th attempt after 3 declines is refused before the payment call', async () => {
    const h = await useLimits({ declinesPerSession: 3 });
    const tab = new Tab(h, '192.0.2.1');
    const s = await tab.session();
    for (let i = 0; i < 3; i++)
      expect(declined(await tab.pay(await tab.payment(s, DECLINE)))).toBe(true);
    const refused = await tab.pay(await tab.payment(s, TSHIRT));
    const wait = expectLimited(refused, 'too_many_declines');
    // Until the session ends: the shopper starts a new checkout.
    expect(wait).toBeGreaterThan(60);
    expect(await paymentCalls(h)).toBe(3);
    expect((await tab.payNew(TSHIRT)).status).toBe(201);
  });

  it('per card, across shoppers and addresses, and only for that card', async () => {
    const h = await useLimits({ declinesPerCard: { max: 2, windowMs: MINUTE } });
    expect(declined(await new Tab(h, '192.0.2.10').payNew(DECLINE, VISA))).toBe(true);
    expect(declined(await new Tab(h, '192.0.2.11').payNew(DECLINE, VISA))).toBe(true);
    const third = new Tab(h, '192.0.2.12');
    const refused = await third.payNew(DECLINE, VISA);
    expectLimited(refused, 'too_many_declines');
    expect(declined(await third.payNew(DECLINE, MASTERCARD))).toBe(true);
    expect(await paymentCalls(h)).toBe(3);
  });

  it('counts the card again once its window has passed, and the refused attempt can be resent as is', async () => {
    const h = await useLimits({ declinesPerCard: { max: 1, windowMs: MINUTE } });
    const tab = new Tab(h, '192.0.2.20');
    expect(declined(await tab.payNew(DECLINE))).toBe(true);
    const body = await tab.payment(await tab.session(), TSHIRT);
    const key = { 'idempotency-key': 'card-cap-resend-1' };
    const wait = expectLimited(await tab.pay(body, key), 'too_many_declines');
    clock.advance(wait * 1000);
    // Same key, same transient token: neither was used up by the refusal.
    const resent = await tab.pay(body, key);
    expect(resent.status).toBe(201);
    expect(resent.headers.get('idempotent-replayed')).toBeNull();
  });

  it('per shopper, whatever the card', async () => {
    const h = await useLimits({ declinesPerShopper: { max: 2, windowMs: 60 * MINUTE } });
    const tab = new Tab(h, '192.0.2.30');
    expect(declined(await tab.payNew(DECLINE, VISA))).toBe(true);
    expect(declined(await tab.payNew(DECLINE, MASTERCARD))).toBe(true);
    expectLimited(await tab.payNew(TSHIRT, VISA), 'too_many_declines');
    expect((await new Tab(h, '192.0.2.31').payNew(TSHIRT)).status).toBe(201);
  });

  it('per IP, across shoppers', async () => {
    const h = await useLimits({ declinesPerIp: { max: 2, windowMs: 60 * MINUTE } });
    const ip = '192.0.2.40';
    expect(declined(await new Tab(h, ip).payNew(DECLINE, VISA))).toBe(true);
    expect(declined(await new Tab(h, ip).payNew(DECLINE, MASTERCARD))).toBe(true);
    expectLimited(await new Tab(h, ip).payNew(TSHIRT), 'too_many_declines');
    expect(await paymentCalls(h)).toBe(2);
  });

  it('answers the longest wait when several caps trip at once, whichever is checked first', async () => {
    const h = await useLimits({
      declinesPerCard: { max: 1, windowMs: MINUTE },
      declinesPerShopper: { max: 1, windowMs: 60 * MINUTE },
    });
    const tab = new Tab(h, '192.0.2.35');
    expect(declined(await tab.payNew(DECLINE))).toBe(true);
    // The card's cap (checked before the shopper's) would admit again in a minute; the shopper's
    // only in an hour.
    expect(expectLimited(await tab.payNew(DECLINE), 'too_many_declines')).toBe(3600);
  });

  it('counts only declines: a payment whose outcome is unknown is not one', async () => {
    // A shopper (and a session) may have one unresolved payment at a time: three shoppers.
    const h = await useLimits({ declinesPerIp: { max: 3, windowMs: 60 * MINUTE } });
    const ip = '192.0.2.45';
    for (let i = 0; i < 3; i++) {
      // 2001.00: the emulator answers 502, nothing recorded: 202 payment_outcome_unknown.
      const r = await new Tab(h, ip).payNew({ id: 'donation', amount: 200_100 });
      expect([r.status, r.body.error.code]).toEqual([202, 'payment_outcome_unknown']);
    }
    expect((await new Tab(h, ip).payNew(TSHIRT)).status).toBe(201);
  });

  it('never counts a replayed decline twice', async () => {
    const h = await useLimits({ declinesPerShopper: { max: 2, windowMs: 60 * MINUTE } });
    const tab = new Tab(h, '192.0.2.50');
    const body = await tab.payment(await tab.session(), DECLINE);
    const key = { 'idempotency-key': 'replayed-decline-1' };
    for (let i = 0; i < 4; i++) expect(declined(await tab.pay(body, key))).toBe(true);
    expect(declined(await tab.payNew(DECLINE))).toBe(true);
    expectLimited(await tab.payNew(DECLINE), 'too_many_declines');
    expect(await paymentCalls(h)).toBe(2);
  });

  it('counts attempts in flight, so parallel attempts cannot all pass the check', async () => {
    // Five shoppers behind one address: one shopper never has two sales in flight
    // (payment_in_progress), so the cap counted here is the address's.
    const h = await useLimits({ declinesPerIp: { max: 2, windowMs: 60 * MINUTE } });
    const tabs = Array.from({ length: 5 }, () => new Tab(h, '192.0.2.60'));
    const ready = [];
    for (const tab of tabs)
      ready.push({ tab, body: await tab.payment(await tab.session(), DECLINE) });
    const answers = await Promise.all(ready.map(({ tab, body }) => tab.pay(body)));
    expect(answers.filter(declined)).toHaveLength(2);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(3);
    expect(await paymentCalls(h)).toBe(2);
  });

  it('logs a trip with its scope and no card data', async () => {
    const h = await useLimits({ declinesPerCard: { max: 1, windowMs: MINUTE } });
    const tab = new Tab(h, '192.0.2.70');
    expect(declined(await tab.payNew(DECLINE))).toBe(true);
    expectLimited(await tab.payNew(DECLINE), 'too_many_declines');
    const line = h.logs.lines
      .map((l) => JSON.parse(l))
      .findLast((l) => /decline cap tripped/.test(l.msg));
    expect(line).toMatchObject({ limit: 'declines_per_card', ip: '192.0.2.70' });
    expect(JSON.stringify(line)).not.toMatch(/4111|1111|visa/i);
  });
});

describe('the default limits', () => {
  it('let a normal checkout through, and keep only declines', async () => {
    const h = await harness({ now: clock.now });
    try {
      expect(h.stub.config.limits).toMatchObject({
        disabled: false,
        declinesPerSession: 3,
        declinesPerCard: { max: 5, windowMs: 60 * MINUTE },
      });
      const tab = new Tab(h, '192.0.2.80');
      expect(declined(await tab.payNew(DECLINE))).toBe(true);
      expect((await tab.payNew(TSHIRT)).status).toBe(201);
      const rows = await h.stub.db.query('SELECT status FROM charge_attempts');
      expect(rows.rows).toEqual([{ status: 'declined' }]);
    } finally {
      await h.close();
    }
  });
});
