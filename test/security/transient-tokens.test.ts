/**
 * Transient tokens the stub must refuse before any `POST /pts/v2/payments` (RELIABILITY-FACTS
 * §3.4, API-FACTS §5.5): forged, expired, reused, minted for another checkout session or for a
 * capture context the stub never issued, or plain garbage. Every case ends with a clear 4xx
 * code and no payment call in the request log; most also pay afterwards with the genuine token,
 * which shows the refusal was about the token and did not burn the session.
 */
import * as fc from 'fast-check';
import { decodeJwt, exportJWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCaptureContext } from '../../server-stub/cybersource/microform-sessions.ts';
import { arbitraryJwtLike } from '../fuzz/arbitraries.ts';
import {
  expectErrorEnvelope,
  expectNothingSensitive,
  fuzzOptions,
  mark,
  paymentCalls,
  type StubUnderTest,
  stubUnderTest,
} from '../fuzz/support.ts';
import { MASTERCARD, newKey, Shopper, VISA } from '../server-stub/harness.ts';
import {
  attackerKey,
  captureContextKeys,
  editPayload,
  hs256WithPublicKey,
  parts,
  resign,
  signRaw,
  signWithContextKey,
  unsigned,
} from './tokens.ts';

const MINUTE = 60_000;
let h: StubUnderTest;
/** The stub's clock runs this far ahead of the real one (the emulator has its own offset). */
let stubAhead = 0;

beforeAll(async () => {
  h = await stubUnderTest({ now: () => new Date(Date.now() + stubAhead) });
});
afterAll(() => h.close());
beforeEach(() => {
  stubAhead = 0;
  h.emulator.state.clockOffsetMs = 0;
});

interface Checkout {
  shopper: Shopper;
  sessionId: string;
  captureContext: string;
  token: string;
}

async function checkout(shopper = new Shopper(h), card = VISA): Promise<Checkout> {
  const s = await shopper.session();
  return { shopper, ...s, token: await shopper.token(s.captureContext, card) };
}

async function pay(
  c: Pick<Checkout, 'shopper' | 'sessionId'>,
  transientToken: unknown,
  item: { id: string; amount?: number } = { id: 'tshirt' },
  headers: Record<string, string> = {},
) {
  return c.shopper.request(
    'POST',
    '/api/checkout/payments',
    { sessionId: c.sessionId, transientToken, item },
    headers,
  );
}

/**
 * Refused with `code` (one of `codes`) and no payment call since `before`; nothing sensitive
 * in the answer or the logs.
 */
async function expectRefusedToken(
  c: Pick<Checkout, 'shopper' | 'sessionId'>,
  transientToken: unknown,
  codes: readonly string[],
  what: string,
) {
  const m = mark(h);
  const payments = paymentCalls(h).length;
  const r = await pay(c, transientToken);
  const res = { status: r.status, text: JSON.stringify(r.body), headers: r.headers };
  expect(r.status, `${what}: ${res.text}`).toBeGreaterThanOrEqual(400);
  expect(r.status, `${what}: ${res.text}`).toBeLessThan(500);
  expect(codes, `${what}: ${res.text}`).toContain(expectErrorEnvelope(res, what));
  expect(paymentCalls(h).length, `${what}: payment calls`).toBe(payments);
  expectNothingSensitive(h, m, res, what);
}

/** The genuine token still pays once: the refusals before it left the session usable. */
async function expectGenuinePays(c: Checkout) {
  const before = paymentCalls(h).length;
  const logLines = h.logs.lines.length;
  const r = await pay(c, c.token);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect(paymentCalls(h).length).toBe(before + 1);
  // The token is a bearer credential for 15 minutes: it is not logged either.
  expect(h.logs.lines.slice(logLines).join('').includes(parts(c.token).s)).toBe(false);
}

describe('forged transient tokens', () => {
  it('re-signed with another RSA key (same kid, same payload) → transient_token_invalid', async () => {
    const c = await checkout();
    await expectRefusedToken(c, await resign(c.token), ['transient_token_invalid'], 'resigned');
    // …even with our own key embedded in the header, or pointed at by jku/x5u.
    const embedded = await resign(c.token, {
      jwk: await exportJWK((await attackerKey()).publicKey),
    });
    await expectRefusedToken(c, embedded, ['transient_token_invalid'], 'embedded jwk');
    const pointed = await resign(c.token, {
      jku: 'https://evil.example/jwks.json',
      x5u: 'https://evil.example/cert.pem',
    });
    const upstream = h.upstream.length;
    await expectRefusedToken(c, pointed, ['transient_token_invalid'], 'jku');
    expect(h.upstream.length).toBe(upstream);
    await expectGenuinePays(c);
  });

  it('a genuine token with its payload edited → transient_token_invalid', async () => {
    const c = await checkout();
    const edits: [string, (p: Record<string, unknown>) => void][] = [
      [
        'exp +1h',
        (p) => {
          p.exp = Number(p.exp) + 3600;
        },
      ],
      [
        'jti',
        (p) => {
          p.jti = `${p.jti}X`;
        },
      ],
      [
        'card',
        (p) => {
          p.content = {
            paymentInformation: { card: { number: { maskedValue: 'XXXXXXXXXXXX4444' } } },
          };
        },
      ],
    ];
    for (const [what, edit] of edits) {
      await expectRefusedToken(c, editPayload(c.token, edit), ['transient_token_invalid'], what);
    }
    // Signature bytes flipped, or dropped.
    const { h: head, p, s } = parts(c.token);
    const flipped = `${head}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
    await expectRefusedToken(c, flipped, ['transient_token_invalid'], 'flipped signature');
    await expectRefusedToken(c, `${head}.${p}.`, ['invalid_request'], 'no signature');
    await expectGenuinePays(c);
  });

  it('alg:none, HS256 keyed with the public key, and the genuine key under another alg → refused', async () => {
    const c = await checkout();
    const payload = decodeJwt(c.token);
    const kid = captureContextKeys(h.emulator, c.captureContext).kid;
    await expectRefusedToken(
      c,
      unsigned({ alg: 'none', kid }, payload),
      ['invalid_request', 'transient_token_invalid'],
      'alg none, empty signature',
    );
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      await expectRefusedToken(
        c,
        unsigned({ alg, kid }, payload, 'x'),
        ['transient_token_invalid'],
        `alg ${alg}`,
      );
    }
    const { publicKey } = captureContextKeys(h.emulator, c.captureContext);
    for (const [i, forged] of (await hs256WithPublicKey(c.token, publicKey)).entries()) {
      await expectRefusedToken(c, forged, ['transient_token_invalid'], `HS256 #${i}`);
    }
    // The genuine one-time key, but not the RS256 that CyberSource uses: an allow-list, not a guess.
    for (const alg of ['RS512', 'PS256']) {
      const other = await signWithContextKey(h.emulator, c.captureContext, { ...payload }, alg);
      await expectRefusedToken(c, other, ['transient_token_invalid'], alg);
    }
    // The genuine key and RS256, but a critical header the stub does not understand.
    const crit = signRaw(
      { kid, alg: 'RS256', crit: ['x-cybs'], 'x-cybs': 1 },
      payload,
      captureContextKeys(h.emulator, c.captureContext).privateKey,
    );
    await expectRefusedToken(c, crit, ['transient_token_invalid'], 'crit');
    await expectGenuinePays(c);
  });
});

describe('expired transient tokens', () => {
  it('minted more than 15 minutes ago (emulator clock) → transient_token_expired', async () => {
    const s = new Shopper(h);
    const session = await s.session();
    h.emulator.state.clockOffsetMs = -16 * MINUTE;
    const stale = await s.token(session.captureContext);
    h.emulator.state.clockOffsetMs = 0;
    const c = { shopper: s, sessionId: session.sessionId };
    expect(decodeJwt(stale).exp).toBeLessThan(Date.now() / 1000);
    await expectRefusedToken(c, stale, ['transient_token_expired'], 'stale');
  });

  it('signed by the genuine key with exp in the past, or not yet valid → refused', async () => {
    const c = await checkout();
    const payload = decodeJwt(c.token);
    const now = Math.floor(Date.now() / 1000);
    const past = await signWithContextKey(h.emulator, c.captureContext, {
      ...payload,
      iat: now - 901,
      exp: now - 1,
    });
    await expectRefusedToken(c, past, ['transient_token_expired'], 'exp in the past');
    const noExp = { ...payload };
    delete noExp.exp;
    const unbounded = await signWithContextKey(h.emulator, c.captureContext, noExp);
    await expectRefusedToken(c, unbounded, ['transient_token_invalid'], 'no exp');
    const future = await signWithContextKey(h.emulator, c.captureContext, {
      ...payload,
      nbf: now + 600,
    });
    await expectRefusedToken(c, future, ['transient_token_invalid'], 'nbf in the future');
    await expectGenuinePays(c);
  });

  it('the stub clock 15 minutes on: the session and its token are refused', async () => {
    const c = await checkout();
    stubAhead = 15 * MINUTE + 1_000;
    await expectRefusedToken(c, c.token, ['session_expired', 'transient_token_expired'], 'late');
    stubAhead = 0;
    // Nothing was spent by the refusal.
    await expectGenuinePays(c);
  });
});

describe('reused transient tokens', () => {
  it('after a successful payment: 409 transient_token_used, a replay under the same key, one payment', async () => {
    const c = await checkout();
    const key = newKey();
    const first = await pay(c, c.token, { id: 'tshirt' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const calls = paymentCalls(h).length;
    await expectRefusedToken(c, c.token, ['transient_token_used'], 'reused');
    // Another item, same token: still spent.
    const other = await pay(c, c.token, { id: 'donation', amount: 500 });
    expect(other.body.error.code).toBe('transient_token_used');
    // The same key replays the first answer; no second charge.
    const replay = await pay(c, c.token, { id: 'tshirt' }, { 'idempotency-key': key });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.payment.id).toBe(first.body.payment.id);
    expect(paymentCalls(h).length).toBe(calls);
  });

  it('after a decline: spent too (the stub is stricter than CyberSource), no second payment call', async () => {
    const c = await checkout();
    const declined = await pay(c, c.token, { id: 'donation', amount: 210_200 });
    expect(declined.status).toBe(402);
    expect(declined.body.error.code).toBe('card_declined');
    await expectRefusedToken(c, c.token, ['transient_token_used'], 'after decline');
    // A new token from the same capture context is how the widget retries.
    const fresh = await c.shopper.token(c.captureContext);
    const retry = await pay(c, fresh);
    expect(retry.status).toBe(201);
  });

  it('submitted concurrently under different keys: one payment call', async () => {
    const c = await checkout();
    const before = paymentCalls(h).length;
    const answers = await Promise.all(Array.from({ length: 6 }, () => pay(c, c.token)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    for (const a of answers.filter((x) => x.status === 409)) {
      expect(a.body.error.code).toBe('transient_token_used');
    }
    expect(paymentCalls(h).length).toBe(before + 1);
  });
});

describe('tokens from another checkout session', () => {
  it("the same shopper's other session → transient_token_invalid", async () => {
    const shopper = new Shopper(h);
    const a = await checkout(shopper);
    // A second tab opened six minutes later (both clocks): sooner, it would be handed tab A's
    // unpaid session.
    stubAhead = 6 * MINUTE;
    h.emulator.state.clockOffsetMs = 6 * MINUTE;
    const b = await checkout(shopper, MASTERCARD);
    expect(b.sessionId).not.toBe(a.sessionId);
    await expectRefusedToken(a, b.token, ['transient_token_invalid'], 'token of B in A');
    await expectRefusedToken(b, a.token, ['transient_token_invalid'], 'token of A in B');
    await expectGenuinePays(a);
    await expectGenuinePays(b);
  });

  it("another shopper's session or token → session_not_found / transient_token_invalid", async () => {
    const victim = await checkout();
    const thief = await checkout();
    // The victim's session id with the victim's token, from the thief's browser.
    await expectRefusedToken(
      { shopper: thief.shopper, sessionId: victim.sessionId },
      victim.token,
      ['session_not_found'],
      "victim's session",
    );
    // The thief's own session with the victim's token.
    await expectRefusedToken(thief, victim.token, ['transient_token_invalid'], "victim's token");
    await expectGenuinePays(victim);
  });

  it('a token the emulator minted for a capture context the stub never issued → refused', async () => {
    const c = await checkout();
    const foreign = await createCaptureContext(h.stub.checkout.client, {
      clientVersion: 'v2',
      targetOrigins: ['http://localhost:3000'],
      allowedCardNetworks: ['VISA', 'MASTERCARD'],
      allowedPaymentTypes: ['CARD'],
    });
    const token = await c.shopper.token(foreign);
    await expectRefusedToken(c, token, ['transient_token_invalid'], 'foreign context');
    // A session id that does not exist cannot carry it either.
    await expectRefusedToken(
      { shopper: c.shopper, sessionId: 'cs_never_issued_0000' },
      token,
      ['session_not_found'],
      'no session',
    );
    await expectGenuinePays(c);
  });
});

describe('garbage tokens', () => {
  it('empty, huge, not a JWT, or JWT-shaped junk → 400, no payment call', async () => {
    const c = await checkout();
    for (const [what, token] of [
      ['empty', ''],
      ['spaces', '   '],
      ['huge', `${'a'.repeat(9000)}.b.c`],
      ['two parts', 'a.b'],
      ['four parts', 'a.b.c.d'],
      ['JWE-shaped', 'a.b.c.d.e'],
      ['number', 42],
      ['null', null],
      ['object', { jwt: c.token }],
      ['array', [c.token]],
      ['padded', `${c.token}==`],
      ['whitespace around', ` ${c.token} `],
      ['twice', `${c.token}.${c.token}`],
    ] as const) {
      await expectRefusedToken(c, token, ['invalid_request', 'transient_token_invalid'], what);
    }
    await fc.assert(
      fc.asyncProperty(arbitraryJwtLike, async (token) => {
        await expectRefusedToken(c, token, ['transient_token_invalid'], 'jwt-like');
      }),
      fuzzOptions(60),
    );
    await expectGenuinePays(c);
  });

  it('a capture context sent back by the browser is never taken', async () => {
    const c = await checkout();
    const before = paymentCalls(h).length;
    const r = await c.shopper.request('POST', '/api/checkout/payments', {
      sessionId: c.sessionId,
      transientToken: c.token,
      captureContext: c.captureContext,
      item: { id: 'tshirt' },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(paymentCalls(h)).toHaveLength(before);
    await expectGenuinePays(c);
  });
});
