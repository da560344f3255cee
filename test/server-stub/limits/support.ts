/**
 * Test support for the card-testing defence: a browser tab with a client address (the socket
 * address @hono/node-server would give, passed as `c.env.incoming`), a fake clock, and limits
 * built from "everything off" plus the ones a test exercises.
 */
import { expect } from 'vitest';
import { type CardTestingLimits, NO_LIMITS } from '../../../server-stub/limits/rules.ts';
import { type Harness, newKey, ORIGIN, Shopper, VISA } from '../harness.ts';

export const DECLINE = { id: 'donation', amount: 210_200 }; // emulator: DECLINED INSUFFICIENT_FUND
export const TSHIRT = { id: 'tshirt' };

export function limits(only: Partial<CardTestingLimits>): CardTestingLimits {
  return { ...NO_LIMITS, disabled: false, ...only };
}

export class FakeClock {
  ms = Date.now();
  readonly now = () => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One shopper's tab from one address: keeps its cookie, sends Origin and Idempotency-Key. */
export class Tab {
  cookie: string | undefined;
  private readonly minter: Shopper;

  constructor(
    private readonly h: Harness,
    readonly ip: string,
  ) {
    this.minter = new Shopper(h);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    const res = await this.h.stub.app.request(
      `http://localhost:3000${path}`,
      {
        method,
        headers: {
          origin: ORIGIN,
          'content-type': 'application/json',
          'idempotency-key': newKey(),
          ...(this.cookie ? { cookie: this.cookie } : {}),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      { incoming: { socket: { remoteAddress: this.ip } } },
    );
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  startSession(headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('POST', '/api/checkout/sessions', {}, headers);
  }

  async session(): Promise<{ sessionId: string; captureContext: string }> {
    const r = await this.startSession();
    if (r.status !== 201) throw new Error(`session failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** A payment body with a fresh transient token from `session`'s capture context. */
  async payment(
    session: { sessionId: string; captureContext: string },
    item: { id: string; amount?: number },
    card = VISA,
  ): Promise<Record<string, unknown>> {
    const transientToken = await this.minter.token(session.captureContext, card);
    return { sessionId: session.sessionId, transientToken, item };
  }

  pay(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
    return this.request('POST', '/api/checkout/payments', body, headers);
  }

  /** New session, new token, pay. */
  async payNew(item: { id: string; amount?: number }, card = VISA): Promise<Answer> {
    return this.pay(await this.payment(await this.session(), item, card));
  }
}

/** A 429 of the card-testing defence: code, body and header agree on the wait; returns it. */
export function expectLimited(r: Answer, code: 'rate_limited' | 'too_many_declines'): number {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe(code);
  const retryAfter = Number(r.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(r.body.error.details).toEqual({ retryAfterSeconds: retryAfter });
  return retryAfter;
}
