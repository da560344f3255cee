import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { sha256Base64 } from '../../../cybersource/auth/digest.ts';
import {
  JtiReplayGuard,
  type SigningKey,
  signJwtRequest,
  verifyJwtRequest,
} from '../../../cybersource/auth/index.ts';

const key: SigningKey = {
  keyId: '08c94330-f618-42a3-b09d-e1e43be5efda',
  merchantId: 'testrest',
  secretBase64: 'yBJxy6LjM2TmcPGu+GaJrHtkke25fPpUX+UY6/L/1tE=',
};
const now = new Date('2026-01-01T00:00:00Z');
const body = '{"orderInformation":{"amountDetails":{"totalAmount":"1.00","currency":"USD"}}}';

async function token(overrides: Partial<Parameters<typeof signJwtRequest>[0]> = {}) {
  return signJwtRequest({
    method: 'POST',
    target: '/pts/v2/payments',
    host: 'localhost:4010',
    merchantId: key.merchantId,
    keyId: key.keyId,
    secretBase64: key.secretBase64,
    body,
    now,
    ...overrides,
  });
}

function verify(
  jwt: string,
  opts: { at?: Date; guard?: JtiReplayGuard; body?: string; target?: string } = {},
) {
  return verifyJwtRequest(
    {
      method: 'POST',
      target: opts.target ?? '/pts/v2/payments',
      host: 'localhost:4010',
      authorization: `Bearer ${jwt}`,
      body: Buffer.from(opts.body ?? body),
    },
    {
      now: opts.at ?? now,
      findKey: (id) => (id === key.keyId ? key : undefined),
      replayGuard: opts.guard ?? new JtiReplayGuard(),
    },
  );
}

describe('JWT-HS256 request auth', () => {
  it('carries the SDK claims and header', async () => {
    const jwt = await token();
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: 'HS256', typ: 'JWT', kid: key.keyId });
    const claims = decodeJwt(jwt);
    expect(claims.exp).toBe((claims.iat ?? 0) + 120);
    expect(claims).toMatchObject({
      iss: 'testrest',
      'v-c-merchant-id': 'testrest',
      'v-c-jwt-version': '2',
      'request-method': 'post',
      'request-resource-path': '/pts/v2/payments',
      'request-host': 'localhost:4010',
      'digest-algorithm': 'SHA-256',
    });
  });

  it('signs the path with its query, as the current Node SDK does', async () => {
    const jwt = await token({
      method: 'GET',
      target: '/tms/v2/customers/C1/payment-instruments?offset=0&limit=100',
    });
    expect(decodeJwt(jwt)['request-resource-path']).toBe(
      '/tms/v2/customers/C1/payment-instruments?offset=0&limit=100',
    );
  });

  it('round-trips', async () => {
    expect(await verify(await token())).toEqual({ ok: true, key });
  });

  it('refuses a reused jti', async () => {
    const guard = new JtiReplayGuard();
    const jwt = await token();
    expect((await verify(jwt, { guard })).ok).toBe(true);
    expect(await verify(jwt, { guard })).toEqual({ ok: false, failure: 'replayed_jti' });
  });

  it('the replay guard forgets expired jtis, refuses live ones, and does not sweep on every request at 20 000 live', () => {
    const guard = new JtiReplayGuard();
    const t0 = 1_000_000;
    for (let i = 0; i < 12_000; i++) expect(guard.claim(`old-${i}`, t0 + 120_000, t0)).toBe(true);
    // Past their expiry: forgotten at the next sweep, so the same ids pass again.
    const t1 = t0 + 121_000;
    for (let i = 0; i < 20_000; i++) expect(guard.claim(`new-${i}`, t1 + 120_000, t1)).toBe(true);
    expect(guard.claim('old-1', t1 + 120_000, t1)).toBe(true);
    expect(guard.claim('new-1', t1 + 120_000, t1)).toBe(false);
    // 20 000 live tokens (about 170 requests a second): each sweep walks the map. A sweep per
    // request walked 20 000 entries each time.
    const walks = vi.spyOn(Map.prototype, Symbol.iterator);
    for (let i = 0; i < 1_000; i++) guard.claim(`more-${i}`, t1 + 120_000, t1);
    expect(walks.mock.calls.length).toBeLessThan(5);
    walks.mockRestore();
  });

  it('refuses an expired token', async () => {
    expect(await verify(await token(), { at: new Date(now.getTime() + 130_000) })).toEqual({
      ok: false,
      failure: 'expired',
    });
  });

  it('refuses a body that does not match the digest claim', async () => {
    expect(await verify(await token(), { body: '{}' })).toEqual({
      ok: false,
      failure: 'digest_mismatch',
    });
  });

  it('refuses a token signed for another path', async () => {
    expect(await verify(await token(), { target: '/pts/v2/payments/1/refunds' })).toEqual({
      ok: false,
      failure: 'request_mismatch',
    });
  });

  it('refuses a wrong secret', async () => {
    const jwt = await token({
      secretBase64: Buffer.from('wrong secret wrong secret').toString('base64'),
    });
    expect(await verify(jwt)).toEqual({ ok: false, failure: 'bad_signature' });
  });

  it('refuses an unknown kid', async () => {
    expect(await verify(await token({ keyId: 'nope' }))).toEqual({
      ok: false,
      failure: 'unknown_key',
    });
  });
});

describe('JWT-HS256 claims the SDK always sends', () => {
  it('refuses a token issued in the future', async () => {
    const future = new Date(now.getTime() + 3600_000);
    expect(await verify(await token({ now: future }))).toEqual({
      ok: false,
      failure: 'issued_in_future',
    });
  });
});

/**
 * A token as another official SDK builds it: Python `authenticationsdk/jwt/Token.py` and .NET
 * `JwtTokenGenerator.cs` send `request-method` upper case and `digestAlgorithm`; the
 * shared-secret docs page lists HS256, HS384 and HS512.
 */
async function foreignToken(
  claims: Record<string, unknown>,
  {
    alg = 'HS256',
    target = '/pts/v2/payments',
    iat = Math.floor(now.getTime() / 1000),
    exp = iat + 120,
  }: { alg?: string; target?: string; iat?: number; exp?: number } = {},
) {
  return new SignJWT({
    'request-host': 'localhost:4010',
    'request-resource-path': target,
    'request-method': 'post',
    'v-c-jwt-version': '2',
    'v-c-merchant-id': key.merchantId,
    digest: sha256Base64(body),
    digestAlgorithm: 'SHA-256',
    ...claims,
  })
    .setProtectedHeader({ alg, typ: 'JWT', kid: key.keyId })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setIssuer(key.merchantId)
    .setJti(crypto.randomUUID())
    .sign(Buffer.from(key.secretBase64, 'base64'));
}

describe('JWT claims as the other official SDKs send them', () => {
  it('accepts an upper-case request-method (Python, .NET)', async () => {
    expect(await verify(await foreignToken({ 'request-method': 'POST' }))).toEqual({
      ok: true,
      key,
    });
  });

  it('still refuses a different method, whatever its case', async () => {
    expect(await verify(await foreignToken({ 'request-method': 'PATCH' }))).toEqual({
      ok: false,
      failure: 'request_mismatch',
    });
  });

  it.each([
    ['digestAlgorithm', { digestAlgorithm: 'SHA-256' }],
    ['digest-algorithm', { digestAlgorithm: undefined, 'digest-algorithm': 'SHA-256' }],
    ['neither spelling', { digestAlgorithm: undefined }],
  ])('accepts %s', async (_n, claims) => {
    expect(await verify(await foreignToken(claims))).toEqual({ ok: true, key });
  });

  it.each([
    ['digestAlgorithm', { digestAlgorithm: 'SHA-1' }],
    ['digest-algorithm', { digestAlgorithm: undefined, 'digest-algorithm': 'MD5' }],
  ])('refuses a %s other than SHA-256', async (_n, claims) => {
    expect(await verify(await foreignToken(claims))).toEqual({
      ok: false,
      failure: 'malformed_token',
    });
  });

  it.each(['HS384', 'HS512'])('accepts %s, which the docs list beside HS256', async (alg) => {
    expect(await verify(await foreignToken({}, { alg }))).toEqual({ ok: true, key });
  });

  it('refuses alg none', async () => {
    const [, payload] = (await foreignToken({})).split('.');
    const unsigned = `${Buffer.from('{"alg":"none","kid":"x"}').toString('base64url')}.${payload}.`;
    expect(await verify(unsigned)).toEqual({ ok: false, failure: 'malformed_token' });
  });

  it('accepts request-resource-path with the query (Python) or without it (Node)', async () => {
    const target = '/pts/v2/payments?x=1';
    expect(await verify(await foreignToken({}, { target }), { target })).toEqual({ ok: true, key });
    expect(await verify(await foreignToken({}), { target })).toEqual({ ok: true, key });
    expect(
      await verify(await foreignToken({}, { target: '/pts/v2/payments?x=2' }), { target }),
    ).toEqual({ ok: false, failure: 'request_mismatch' });
  });
});

describe('JWT claims the verifier checks against the request and the key', () => {
  it('refuses a token that lives longer than 120 s, though not yet expired', async () => {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const jwt = await foreignToken({}, { iat: nowSeconds - 3000, exp: nowSeconds + 60 });
    expect(await verify(jwt)).toEqual({ ok: false, failure: 'lifetime_too_long' });
  });

  it('refuses a request-host that is neither the Host header nor an alias', async () => {
    expect(await verify(await foreignToken({ 'request-host': 'evil.example' }))).toEqual({
      ok: false,
      failure: 'host_mismatch',
    });
  });

  it("refuses a v-c-merchant-id other than the key's merchant", async () => {
    expect(await verify(await foreignToken({ 'v-c-merchant-id': 'othermerchant' }))).toEqual({
      ok: false,
      failure: 'merchant_mismatch',
    });
  });
});

describe('the response-MLE claim', () => {
  it('is signed only when a response key is named, and handed to the verifier', async () => {
    const plain = await token();
    expect(decodeJwt(plain)['v-c-response-mle-kid']).toBeUndefined();
    expect(await verify(plain)).toEqual({ ok: true, key });

    const asking = await token({ responseMleKid: 'merchant-response-key-1' });
    expect(decodeJwt(asking)['v-c-response-mle-kid']).toBe('merchant-response-key-1');
    expect(await verify(asking)).toEqual({
      ok: true,
      key,
      responseMleKid: 'merchant-response-key-1',
    });
  });
});
