/**
 * The capture context is verified with CyberSource's public key before it is kept (API-FACTS
 * §5.2, RELIABILITY-FACTS §3.1): a man in the middle who rewrites the answer of
 * `POST /microform/v2/sessions` gets no checkout session, only a 502 the shopper can retry. And
 * what the stub keeps is its own verified copy; the browser's copy is never read.
 */
import { decodeJwt, decodeProtectedHeader, exportJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CyberSourceClient } from '../../server-stub/cybersource/client.ts';
import { createCaptureContext } from '../../server-stub/cybersource/microform-sessions.ts';
import {
  expectErrorEnvelope,
  expectNothingSensitive,
  mark,
  paymentCalls,
  type StubUnderTest,
  stubUnderTest,
} from '../fuzz/support.ts';
import { Shopper } from '../server-stub/harness.ts';
import { attackerKey, editPayload, parts, resign, unsigned } from './tokens.ts';

const MINUTE = 60_000;
let h: StubUnderTest;
/** Rewrites the capture context on its way from the emulator to the stub. */
let tamper: ((jwt: string) => string | Promise<string>) | undefined;

beforeAll(async () => {
  h = await stubUnderTest({
    intercept: async (call, response) => {
      if (!tamper || call.method !== 'POST' || call.path !== '/microform/v2/sessions')
        return response;
      const jwt = (await response.text()).trim();
      return new Response(await tamper(jwt), {
        status: response.status,
        headers: response.headers,
      });
    },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  tamper = undefined;
  h.emulator.state.clockOffsetMs = 0;
});

async function sessionCount(): Promise<number> {
  const r = await h.stub.db.query('SELECT count(*)::int AS n FROM checkout_sessions');
  return (r.rows[0] as { n: number }).n;
}

/** Session creation fails closed: 502, no session kept, no capture context handed out. */
async function expectFailsClosed(what: string, codes = ['capture_context_invalid']) {
  const sessions = await sessionCount();
  const m = mark(h);
  const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
  const res = { status: r.status, text: JSON.stringify(r.body), headers: r.headers };
  expect(r.status, `${what}: ${res.text}`).toBe(502);
  expect(codes, `${what}: ${res.text}`).toContain(expectErrorEnvelope(res, what));
  expect(r.body.captureContext, what).toBeUndefined();
  expect(await sessionCount(), `${what}: sessions kept`).toBe(sessions);
  expectNothingSensitive(h, m, res, what);
}

const targetOrigins = (p: Record<string, unknown>) =>
  ((p.ctx as { data: { targetOrigins: string[] } }[])[0] as { data: { targetOrigins: string[] } })
    .data.targetOrigins;

describe('a tampered capture context fails closed', () => {
  it('untampered, the same path works (the control case)', async () => {
    const sessions = await sessionCount();
    const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
    expect(r.status).toBe(201);
    expect(await sessionCount()).toBe(sessions + 1);
  });

  it('payload edited, signature kept: another flx.jwk, an extra target origin, a later exp', async () => {
    const attackerJwk = await exportJWK((await attackerKey()).publicKey);
    const edits: [string, (p: Record<string, unknown>) => void][] = [
      [
        'flx.jwk swapped for the attacker key',
        (p) => {
          (p.flx as { jwk: Record<string, unknown> }).jwk = {
            ...attackerJwk,
            use: 'enc',
            kid: 'x',
          };
        },
      ],
      [
        'evil target origin',
        (p) => {
          targetOrigins(p).push('https://evil.example');
        },
      ],
      [
        'exp + 1 day',
        (p) => {
          p.exp = Number(p.exp) + 86_400;
        },
      ],
    ];
    for (const [what, edit] of edits) {
      tamper = (jwt) => editPayload(jwt, edit);
      await expectFailsClosed(what);
    }
  });

  it('re-signed by another RSA key, under the genuine kid or an unknown one', async () => {
    tamper = (jwt) => resign(jwt);
    await expectFailsClosed('genuine kid');
    // With a kid CyberSource does not know, the key look-up itself fails: still no session.
    tamper = (jwt) => resign(jwt, { kid: 'zz' });
    await expectFailsClosed('unknown kid');
    tamper = (jwt) => resign(jwt, { kid: '../../keys/evil' });
    await expectFailsClosed('kid with a path', ['capture_context_invalid']);
  });

  it('alg:none, HS256 with the public key as secret, and junk', async () => {
    const cases: [string, (jwt: string) => string | Promise<string>, string[]][] = [
      [
        'alg none',
        (jwt) => unsigned({ ...decodeProtectedHeader(jwt), alg: 'none' }, decodeJwt(jwt), 'x'),
        ['capture_context_invalid'],
      ],
      [
        'alg none, no signature',
        (jwt) => unsigned({ ...decodeProtectedHeader(jwt), alg: 'none' }, decodeJwt(jwt)),
        ['capture_context_invalid', 'gateway_response_invalid'],
      ],
      [
        'HS256 keyed with the signing public key',
        async (jwt) => {
          const kid = String(decodeProtectedHeader(jwt).kid);
          const res = await h.emulatorFetch(`http://localhost:4010/flex/v2/public-keys/${kid}`);
          const secret = new TextEncoder().encode(await res.text());
          return new SignJWT(decodeJwt(jwt))
            .setProtectedHeader({ kid: kid ?? '', alg: 'HS256' })
            .sign(secret);
        },
        ['capture_context_invalid'],
      ],
      [
        'signature of another capture context',
        (jwt) => `${parts(jwt).h}.${parts(jwt).p}.${parts(jwt).s.split('').reverse().join('')}`,
        ['capture_context_invalid'],
      ],
      ['empty', () => '', ['gateway_response_invalid', 'capture_context_invalid']],
      ['JSON', () => '{"captureContext":"x"}', ['gateway_response_invalid']],
      ['two parts', (jwt) => jwt.split('.').slice(0, 2).join('.'), ['gateway_response_invalid']],
    ];
    for (const [what, t, codes] of cases) {
      tamper = t;
      await expectFailsClosed(what, codes);
    }
  });

  it('a genuine capture context replayed after it expired', async () => {
    // Issued 20 minutes ago: the emulator's clock and the issuing client's clock both behind.
    h.emulator.state.clockOffsetMs = -20 * MINUTE;
    const { config, logger } = h.stub.checkout;
    const past = new CyberSourceClient(
      {
        baseUrl: config.baseUrl,
        merchantId: config.merchantId,
        keyId: config.keyId,
        secretKey: config.secretKey,
        auth: config.auth,
      },
      {
        fetch: h.emulatorFetch,
        now: () => new Date(Date.now() - 20 * MINUTE),
        sleep: async () => undefined,
        logger,
      },
    );
    const old = await createCaptureContext(past, {
      clientVersion: 'v2',
      targetOrigins: [config.publicOrigin],
      allowedCardNetworks: ['VISA'],
      allowedPaymentTypes: ['CARD'],
    });
    h.emulator.state.clockOffsetMs = 0;
    expect(decodeJwt(old).exp).toBeLessThan(Date.now() / 1000);
    tamper = () => old;
    await expectFailsClosed('expired');
  });
});

describe('a genuine capture context', () => {
  it.each(['RS384', 'RS512'])(
    "signed with CyberSource's key under %s is accepted, as the official SDK accepts it",
    async (alg) => {
      tamper = async (jwt) => {
        const kid = String(decodeProtectedHeader(jwt).kid);
        const key = h.emulator.state.flex.signingKeys.get(kid);
        if (!key) throw new Error('emulator signing key not found');
        return new SignJWT(decodeJwt(jwt)).setProtectedHeader({ kid, alg }).sign(key.privateKey);
      };
      const r = await new Shopper(h).request('POST', '/api/checkout/sessions', {});
      expect(r.status).toBe(201);
      expect(decodeProtectedHeader(r.body.captureContext).alg).toBe(alg);
    },
  );
});

describe('the capture context is never trusted from the browser', () => {
  it('the stub pays against the flx.jwk it kept, whatever capture context the browser holds', async () => {
    // The shopper's browser swaps the session's capture context for one it obtained elsewhere
    // (here: another browser's session) and mints a token with it: the kept key refuses it.
    const s = new Shopper(h);
    const mine = await s.session();
    const other = await new Shopper(h).session();
    const swapped = await s.token(other.captureContext);
    const before = paymentCalls(h).length;
    const r = await s.request('POST', '/api/checkout/payments', {
      sessionId: mine.sessionId,
      transientToken: swapped,
      item: { id: 'tshirt' },
    });
    expect(r.body.error.code).toBe('transient_token_invalid');
    // Nor can the browser hand the stub a capture context: the field does not exist.
    const sent = await s.request('POST', '/api/checkout/payments', {
      sessionId: mine.sessionId,
      transientToken: await s.token(mine.captureContext),
      captureContext: other.captureContext,
      item: { id: 'tshirt' },
    });
    expect(sent.status).toBe(400);
    expect(sent.body.error.code).toBe('invalid_request');
    expect(paymentCalls(h).length).toBe(before);
    // What the stub keeps is the verified context it received, not anything sent later.
    const kept = await h.stub.db.query(
      'SELECT capture_context FROM checkout_sessions WHERE id = $1',
      [mine.sessionId],
    );
    expect((kept.rows[0] as { capture_context: string }).capture_context).toBe(mine.captureContext);
  });
});
