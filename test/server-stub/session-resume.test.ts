/**
 * A returning shopper's page views within minutes of each other resume one unpaid checkout
 * session (`checkout/sessions.ts` `resumeCheckout`): no capture context made for each, and none
 * counted against the shopper's session allowance. A payment, or the window's end, starts a
 * new one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../../server-stub/config/env.ts';
import { type Harness, harness, MASTERCARD, Shopper, upstreamCalls } from './harness.ts';
import { FakeClock, limits } from './limits/support.ts';

const MINUTE = 60_000;
const clock = new FakeClock();
let h: Harness;

beforeAll(async () => {
  h = await harness({
    now: clock.now,
    // A shopper may start two sessions in ten minutes: resumed ones must not count.
    overrides: { limits: limits({ sessionsPerShopper: { max: 2, windowMs: 10 * MINUTE } }) },
  });
});
afterAll(() => h.close());
beforeEach(() => h.emulator.state.reset());

const contextsMade = async () =>
  (await upstreamCalls(h)).filter((r) => r.path === '/microform/v2/sessions').length;

async function startSession(shopper: Shopper) {
  const r = await shopper.request('POST', '/api/checkout/sessions', {});
  expect(r.status).toBe(201);
  return r.body as {
    sessionId: string;
    captureContext: string;
    expiresAt: string;
    expiresIn: number;
  };
}

/** A session as it is handed out, less the seconds it has left (those go down). */
const handedOut = ({ expiresIn: _, ...session }: Awaited<ReturnType<typeof startSession>>) =>
  session;

describe('a returning shopper', () => {
  it('gets the same unpaid session for every page view within five minutes, uncounted', async () => {
    const shopper = new Shopper(h);
    const first = await startSession(shopper);
    expect(first.expiresIn).toBeGreaterThan(890);
    for (let view = 1; view <= 6; view++) {
      clock.advance(40_000);
      // Reloads, a second tab: all within 4 min 40 s of the first. Each is told the time its
      // capture context has left, which the widget renews it by (not the 15 minutes a new one has).
      const again = await startSession(shopper);
      expect(handedOut(again)).toEqual(handedOut(first));
      expect(Math.abs(again.expiresIn - (first.expiresIn - 40 * view))).toBeLessThanOrEqual(1);
    }
    expect(await contextsMade()).toBe(1);
    // It pays as any session does.
    const paid = await shopper.request('POST', '/api/checkout/payments', {
      sessionId: first.sessionId,
      transientToken: await shopper.token(first.captureContext),
      item: { id: 'tshirt' },
    });
    expect(paid.status).toBe(201);
  });

  it('gets a new session once a payment has spent a token of the last one, declined or not', async () => {
    const shopper = new Shopper(h);
    const first = await startSession(shopper);
    const declined = await shopper.request('POST', '/api/checkout/payments', {
      sessionId: first.sessionId,
      transientToken: await shopper.token(first.captureContext),
      item: { id: 'donation', amount: 210_000 },
    });
    expect(declined.status).toBe(402);
    const second = await startSession(shopper);
    expect(second.sessionId).not.toBe(first.sessionId);
    // The paying tab keeps its own session (and its decline cap); a new page view gets the
    // new one, unpaid, again.
    expect((await startSession(shopper)).sessionId).toBe(second.sessionId);
    expect(await contextsMade()).toBe(2);
  });

  it('gets a new session after five minutes, then that one for the next five', async () => {
    const shopper = new Shopper(h);
    const first = await startSession(shopper);
    clock.advance(5 * MINUTE + 1_000);
    const second = await startSession(shopper);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(handedOut(await startSession(shopper))).toEqual(handedOut(second));
    expect(await contextsMade()).toBe(2);
  });

  it("never gets another shopper's session", async () => {
    const a = new Shopper(h);
    const b = new Shopper(h);
    const sa = await startSession(a);
    const sb = await startSession(b);
    expect(sb.sessionId).not.toBe(sa.sessionId);
    // A's session, named by B, is not B's to pay with.
    const stolen = await b.request('POST', '/api/checkout/payments', {
      sessionId: sa.sessionId,
      transientToken: await b.token(sa.captureContext, MASTERCARD),
      item: { id: 'tshirt' },
    });
    expect(stolen.body.error.code).toBe('session_not_found');
  });
});

describe('CHECKOUT_SESSION_REUSE_SECONDS', () => {
  it('0 starts a new session on every request', async () => {
    const every = await harness({ now: clock.now, env: { CHECKOUT_SESSION_REUSE_SECONDS: '0' } });
    try {
      const shopper = new Shopper(every);
      const first = await startSession(shopper);
      expect((await startSession(shopper)).sessionId).not.toBe(first.sessionId);
    } finally {
      await every.close();
    }
  });

  it('is whole seconds, at most 600 (a resumed capture context keeps 5 of its 15 minutes)', () => {
    expect(configFromEnv({}).sessionReuseMs).toBe(300_000);
    expect(configFromEnv({ CHECKOUT_SESSION_REUSE_SECONDS: '600' }).sessionReuseMs).toBe(600_000);
    for (const bad of ['601', '-1', '1.5', 'five']) {
      expect(() => configFromEnv({ CHECKOUT_SESSION_REUSE_SECONDS: bad })).toThrow(ConfigError);
      expect(() => configFromEnv({ CHECKOUT_SESSION_REUSE_SECONDS: bad })).toThrow(
        /CHECKOUT_SESSION_REUSE_SECONDS/,
      );
    }
  });
});
