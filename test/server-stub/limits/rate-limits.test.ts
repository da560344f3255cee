import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, harness, upstreamCalls } from '../harness.ts';
import { expectLimited, FakeClock, limits, Tab, TSHIRT } from './support.ts';

const MINUTE = 60_000;
const clock = new FakeClock();
let h: Harness;

beforeAll(async () => {
  h = await harness({
    now: clock.now,
    overrides: {
      // Every request here starts a new session, as it would a minute apart, or each after a
      // payment: what the limits count. A shopper's page views within minutes of each other
      // resume one session uncounted (test/server-stub/session-resume.test.ts).
      sessionReuseMs: 0,
      limits: limits({
        sessionsPerIp: { max: 3, windowMs: MINUTE },
        sessionsPerShopper: { max: 2, windowMs: MINUTE },
        paymentsPerIp: { max: 4, windowMs: MINUTE },
        paymentsPerShopper: { max: 2, windowMs: MINUTE },
      }),
    },
  });
});
afterAll(() => h.close());
// Each test uses its own addresses and shoppers, so windows never carry over; the clock stays
// within the emulator's 15-minute capture-context lifetime.
beforeEach(() => h.emulator.state.reset());

const sessionCalls = async () =>
  (await upstreamCalls(h)).filter((r) => r.path === '/microform/v2/sessions').length;
const paymentCalls = async () =>
  (await upstreamCalls(h)).filter((r) => r.path === '/pts/v2/payments').length;

describe('request-rate limits on POST /api/checkout/sessions', () => {
  it('refuses the next session from one IP with 429 rate_limited before any upstream call', async () => {
    const ip = '198.51.100.1';
    for (const tab of [new Tab(h, ip), new Tab(h, ip), new Tab(h, ip)]) {
      expect((await tab.startSession()).status).toBe(201);
    }
    const refused = await new Tab(h, ip).startSession();
    expect(expectLimited(refused, 'rate_limited')).toBeLessThanOrEqual(60);
    expect(await sessionCalls()).toBe(3);
    // Another address is not affected.
    expect((await new Tab(h, '198.51.100.2').startSession()).status).toBe(201);
  });

  it('admits again once the window has passed (fake clock)', async () => {
    const ip = '198.51.100.3';
    for (let i = 0; i < 3; i++) expect((await new Tab(h, ip).startSession()).status).toBe(201);
    const refused = await new Tab(h, ip).startSession();
    const wait = expectLimited(refused, 'rate_limited');
    clock.advance(wait * 1000 - 1000);
    expect((await new Tab(h, ip).startSession()).status).toBe(429);
    clock.advance(1000);
    expect((await new Tab(h, ip).startSession()).status).toBe(201);
  });

  it('limits one shopper across addresses', async () => {
    const a = new Tab(h, '198.51.100.4');
    expect((await a.startSession()).status).toBe(201);
    const b = new Tab(h, '198.51.100.5');
    b.cookie = a.cookie;
    expect((await b.startSession()).status).toBe(201);
    const c = new Tab(h, '198.51.100.6');
    c.cookie = a.cookie;
    expectLimited(await c.startSession(), 'rate_limited');
  });

  it('never counts an idempotent replay, and gives a refused key back', async () => {
    const tab = new Tab(h, '198.51.100.7');
    const key = { 'idempotency-key': 'replayed-session-key-1' };
    const first = await tab.startSession(key);
    expect(first.status).toBe(201);
    for (let i = 0; i < 4; i++) {
      const again = await tab.startSession(key);
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body.sessionId).toBe(first.body.sessionId);
    }
    expect((await tab.startSession()).status).toBe(201);
    const refusedKey = { 'idempotency-key': 'refused-session-key-1' };
    expectLimited(await tab.startSession(refusedKey), 'rate_limited');
    expect(await sessionCalls()).toBe(2);
    // The refusal was not stored: after the window the same key runs for real.
    clock.advance(MINUTE);
    const later = await tab.startSession(refusedKey);
    expect(later.status).toBe(201);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
  });

  it('answers every concurrent duplicate of a refused request 429, never a 500', async () => {
    const tab = new Tab(h, '198.51.100.9');
    await tab.startSession();
    await tab.startSession();
    // A double-click after the cap: the first duplicate is refused and gives the key back
    // while the others wait on it.
    const key = { 'idempotency-key': 'refused-concurrent-key-1' };
    const refused = await Promise.all(Array.from({ length: 8 }, () => tab.startSession(key)));
    for (const r of refused) expectLimited(r, 'rate_limited');
    expect(await sessionCalls()).toBe(2);
  });

  it('logs the trip with the limit and the address', async () => {
    const tab = new Tab(h, '198.51.100.8');
    await tab.startSession();
    await tab.startSession();
    expectLimited(await tab.startSession(), 'rate_limited');
    const line = h.logs.lines
      .map((l) => JSON.parse(l))
      .findLast((l) => /rate limit tripped/.test(l.msg));
    expect(line).toMatchObject({ limit: 'sessions_per_shopper', ip: '198.51.100.8' });
  });
});

describe('request-rate limits on POST /api/checkout/payments', () => {
  it('refuses the third payment of a shopper with 429 and no payment call', async () => {
    const tab = new Tab(h, '198.51.100.20');
    const s1 = await tab.session();
    const s2 = await tab.session();
    expect((await tab.pay(await tab.payment(s1, TSHIRT))).status).toBe(201);
    expect((await tab.pay(await tab.payment(s2, TSHIRT))).status).toBe(201);
    expectLimited(await tab.pay(await tab.payment(s2, TSHIRT)), 'rate_limited');
    expect(await paymentCalls()).toBe(2);
  });

  it('refuses the fifth payment from one IP across shoppers', async () => {
    const ip = '198.51.100.21';
    const bodies = [];
    const tabs = [new Tab(h, ip), new Tab(h, ip), new Tab(h, ip)];
    for (const tab of tabs) bodies.push(await tab.payment(await tab.session(), TSHIRT));
    const [a, b, c] = tabs;
    if (!a || !b || !c) throw new Error('tabs');
    expect((await a.pay({ ...bodies[0], item: { id: 'nope' } })).status).toBe(400);
    expect((await a.pay({ ...bodies[0], item: { id: 'nope' } })).status).toBe(400);
    expect((await b.pay({ ...bodies[1], item: { id: 'nope' } })).status).toBe(400);
    expect((await b.pay({ ...bodies[1], item: { id: 'nope' } })).status).toBe(400);
    expectLimited(await c.pay(bodies[2] ?? {}), 'rate_limited');
    expect(await paymentCalls()).toBe(0);
  });
});

describe('client address', () => {
  it('ignores X-Forwarded-For unless TRUST_PROXY is set', async () => {
    const ip = '198.51.100.30';
    for (let i = 0; i < 3; i++) {
      const r = await new Tab(h, ip).startSession({ 'x-forwarded-for': `203.0.113.${i}` });
      expect(r.status).toBe(201);
    }
    expectLimited(
      await new Tab(h, ip).startSession({ 'x-forwarded-for': '203.0.113.99' }),
      'rate_limited',
    );
  });

  it('with TRUST_PROXY=1 counts the address the proxy appended, not what the client wrote', async () => {
    const proxied = await harness({
      now: clock.now,
      overrides: { trustProxy: 1, limits: limits({ sessionsPerIp: { max: 2, windowMs: MINUTE } }) },
    });
    try {
      const proxy = '10.0.0.1';
      const client = '203.0.113.50';
      for (let i = 0; i < 2; i++) {
        const r = await new Tab(proxied, proxy).startSession({
          'x-forwarded-for': `192.0.2.${i}, ${client}`,
        });
        expect(r.status).toBe(201);
      }
      const forged = await new Tab(proxied, proxy).startSession({
        'x-forwarded-for': `192.0.2.77, ${client}`,
      });
      expectLimited(forged, 'rate_limited');
      const other = await new Tab(proxied, proxy).startSession({
        'x-forwarded-for': '203.0.113.51',
      });
      expect(other.status).toBe(201);
    } finally {
      await proxied.close();
    }
  });
  it('with TRUST_PROXY=1 counts a public peer as itself, whatever X-Forwarded-For it writes', async () => {
    // A card tester reaching the stub's port without passing the proxy rotates the header to
    // make each request a new address: it must count as the address it connects from.
    const exposed = await harness({
      now: clock.now,
      overrides: { trustProxy: 1, limits: limits({ sessionsPerIp: { max: 2, windowMs: MINUTE } }) },
    });
    try {
      const attacker = '198.51.100.61';
      for (let i = 0; i < 2; i++) {
        const r = await new Tab(exposed, attacker).startSession({
          'x-forwarded-for': `203.0.113.${i}`,
        });
        expect(r.status).toBe(201);
      }
      expectLimited(
        await new Tab(exposed, attacker).startSession({ 'x-forwarded-for': '203.0.113.99' }),
        'rate_limited',
      );
      // Said once, however many requests do it.
      const warnings = exposed.logs.lines.filter((l) => l.includes('no trusted proxy'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0] ?? '{}')).toMatchObject({ level: 40, peer: attacker }); // 40: pino's warn;
    } finally {
      await exposed.close();
    }
  });

  it('with TRUST_PROXY listing the proxies, reads the header from them only', async () => {
    const listed = await harness({
      now: clock.now,
      env: { TRUST_PROXY: '192.0.2.0/28, 2001:db8::1' },
      overrides: { limits: limits({ sessionsPerIp: { max: 1, windowMs: MINUTE } }) },
    });
    try {
      // A CDN edge with a public address: each shopper behind it counts as themselves.
      for (const client of ['203.0.113.70', '203.0.113.71']) {
        const r = await new Tab(listed, '192.0.2.5').startSession({ 'x-forwarded-for': client });
        expect(r.status).toBe(201);
      }
      // Anyone else is their own address, header or not.
      const direct = '198.51.100.62';
      expect(
        (await new Tab(listed, direct).startSession({ 'x-forwarded-for': '203.0.113.72' })).status,
      ).toBe(201);
      expectLimited(
        await new Tab(listed, direct).startSession({ 'x-forwarded-for': '203.0.113.73' }),
        'rate_limited',
      );
    } finally {
      await listed.close();
    }
  });
});

describe('RATE_LIMIT_DISABLED', () => {
  it('lifts every limit', async () => {
    const open = await harness({ env: { RATE_LIMIT_DISABLED: 'true' }, now: clock.now });
    try {
      expect(open.stub.config.limits.disabled).toBe(true);
      const tab = new Tab(open, '198.51.100.40');
      for (let i = 0; i < 12; i++) expect((await tab.startSession()).status).toBe(201);
    } finally {
      await open.close();
    }
  });
});

describe('a 429 on an embedding site', () => {
  it('lets the widget there read the wait: Retry-After is exposed to the allowed origin', async () => {
    const site = 'https://shop.example';
    const embedded = await harness({
      now: clock.now,
      env: { CHECKOUT_ALLOWED_SITES: site },
      overrides: {
        sessionReuseMs: 0,
        limits: limits({ sessionsPerIp: { max: 1, windowMs: MINUTE } }),
      },
    });
    try {
      const tab = new Tab(embedded, '198.51.100.90');
      expect((await tab.startSession({ origin: site })).status).toBe(201);
      const refused = await tab.startSession({ origin: site });
      const wait = expectLimited(refused, 'rate_limited');
      expect(refused.headers.get('access-control-allow-origin')).toBe(site);
      // Without it a cross-origin script sees no Retry-After (Fetch "CORS-safelisted response
      // header names" leave it out) and the widget says 30 s instead of the real wait.
      expect(refused.headers.get('access-control-expose-headers')).toMatch(/\bretry-after\b/i);
      expect(Number(refused.headers.get('retry-after'))).toBe(wait);
    } finally {
      await embedded.close();
    }
  });
});
