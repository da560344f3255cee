import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
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

  it('round-trips', async () => {
    expect(await verify(await token())).toEqual({ ok: true, key });
  });

  it('refuses a reused jti', async () => {
    const guard = new JtiReplayGuard();
    const jwt = await token();
    expect((await verify(jwt, { guard })).ok).toBe(true);
    expect(await verify(jwt, { guard })).toEqual({ ok: false, failure: 'replayed_jti' });
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
