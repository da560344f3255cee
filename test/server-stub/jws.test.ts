import { createHmac, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  JwtRefused,
  jwtHeader,
  rsaPublicKey,
  verifyRsaJwt,
} from '../../server-stub/checkout/jws.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const now = Math.floor(NOW.getTime() / 1000);
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** A JWT signed by hand, for headers and claims jose would not sign. */
function handSigned(header: object, payload: unknown, key: KeyObject, hash = 'sha256'): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(hash, Buffer.from(input), key).toString('base64url')}`;
}

const why = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof JwtRefused ? err.why : `not refused: ${String(err)}`;
  }
  return 'accepted';
};

describe('verifyRsaJwt (capture contexts and transient tokens)', () => {
  let keys: { publicKey: KeyObject; privateKey: KeyObject };
  let other: { publicKey: KeyObject; privateKey: KeyObject };
  const opts = { algorithms: ['RS256'] as const, now: NOW };
  beforeAll(() => {
    keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  });

  it('accepts what jose signs, and returns its claims', async () => {
    const jwt = await new SignJWT({ jti: 'abc', flx: { data: 1 } })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt(now - 10)
      .setExpirationTime(now + 900)
      .sign(keys.privateKey);
    expect(verifyRsaJwt(jwt, keys.publicKey, opts)).toMatchObject({ jti: 'abc', flx: { data: 1 } });
    expect(jwtHeader(jwt)).toEqual({ alg: 'RS256', kid: 'k1' });
    const rs512 = await new SignJWT({}).setProtectedHeader({ alg: 'RS512' }).sign(keys.privateKey);
    expect(why(() => verifyRsaJwt(rs512, keys.publicKey, opts))).toBe('invalid');
    expect(
      verifyRsaJwt(rs512, keys.publicKey, { algorithms: ['RS256', 'RS512'], now: NOW }),
    ).toEqual({});
  });

  it('refuses another key, a changed payload or signature, and a broken shape', () => {
    const jwt = handSigned({ alg: 'RS256' }, { exp: now + 60, amount: 1 }, keys.privateKey);
    expect(why(() => verifyRsaJwt(jwt, keys.publicKey, opts))).toBe('accepted');
    expect(why(() => verifyRsaJwt(jwt, other.publicKey, opts))).toBe('invalid');
    const [h, , s] = jwt.split('.');
    const changed = `${h}.${b64({ exp: now + 60, amount: 1000 })}.${s}`;
    expect(why(() => verifyRsaJwt(changed, keys.publicKey, opts))).toBe('invalid');
    // One signature character changed for another, mid-signature: every bit of it counts (the
    // last character of a 256-byte signature carries 2 bits, so "AA" at the end could decode to
    // the same bytes, about one run in 256).
    const at = jwt.length - 20;
    const flipped = `${jwt.slice(0, at)}${jwt[at] === 'A' ? 'B' : 'A'}${jwt.slice(at + 1)}`;
    expect(why(() => verifyRsaJwt(flipped, keys.publicKey, opts))).toBe('invalid');
    for (const broken of [`${jwt}.x`, jwt.split('.').slice(0, 2).join('.'), `${h}..${s}`, '']) {
      expect(why(() => verifyRsaJwt(broken, keys.publicKey, opts))).toBe('invalid');
    }
    const notObject = handSigned({ alg: 'RS256' }, [1, 2], keys.privateKey);
    expect(why(() => verifyRsaJwt(notObject, keys.publicKey, opts))).toBe('invalid');
  });

  it('refuses alg none, an HMAC made with the public key, and a crit header', () => {
    const none = `${b64({ alg: 'none' })}.${b64({ exp: now + 60 })}.`;
    expect(why(() => verifyRsaJwt(none, keys.publicKey, opts))).toBe('invalid');
    const secret = keys.publicKey.export({ format: 'pem', type: 'spki' });
    const input = `${b64({ alg: 'HS256' })}.${b64({ exp: now + 60 })}`;
    const hs = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
    expect(why(() => verifyRsaJwt(hs, keys.publicKey, opts))).toBe('invalid');
    const crit = handSigned({ alg: 'RS256', crit: ['b64'], b64: false }, {}, keys.privateKey);
    expect(why(() => verifyRsaJwt(crit, keys.publicKey, opts))).toBe('invalid');
  });

  it('refuses a payload that is not UTF-8, and any token on a broken clock', () => {
    const input = `${b64({ alg: 'RS256' })}.${Buffer.from('{"exp":1\xff}', 'latin1').toString('base64url')}`;
    const notUtf8 = `${input}.${sign('sha256', Buffer.from(input), keys.privateKey).toString('base64url')}`;
    expect(why(() => verifyRsaJwt(notUtf8, keys.publicKey, opts))).toBe('invalid');
    const old = handSigned({ alg: 'RS256' }, { exp: 1 }, keys.privateKey);
    const broken = { ...opts, now: new Date(Number.NaN) };
    expect(why(() => verifyRsaJwt(old, keys.publicKey, broken))).toBe('invalid');
  });

  it('reads a key from its JWK; an empty modulus is refused, an unreadable one too', () => {
    const jwk = keys.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    const jwt = handSigned({ alg: 'RS256' }, {}, keys.privateKey);
    expect(verifyRsaJwt(jwt, rsaPublicKey(jwk), opts)).toEqual({});
    // node:crypto reads an empty `n` as a 0-bit key: the size check refuses it.
    expect(why(() => verifyRsaJwt(jwt, rsaPublicKey({ n: '', e: 'AQAB' }), opts))).toBe('invalid');
    const missing = { e: 'AQAB' } as unknown as { n: string; e: string };
    expect(why(() => rsaPublicKey(missing))).toBe('invalid');
  });

  it('refuses an RSA key under 2048 bits', () => {
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwt = handSigned({ alg: 'RS256' }, {}, weak.privateKey);
    expect(why(() => verifyRsaJwt(jwt, weak.publicKey, opts))).toBe('invalid');
  });

  it('tells an expired token apart, and checks nbf and the claims types', () => {
    const at = (payload: object) =>
      why(() =>
        verifyRsaJwt(handSigned({ alg: 'RS256' }, payload, keys.privateKey), keys.publicKey, opts),
      );
    expect(at({ exp: now + 1 })).toBe('accepted');
    expect(at({ exp: now })).toBe('expired');
    expect(at({ exp: now - 600 })).toBe('expired');
    expect(at({ exp: `${now + 60}` })).toBe('invalid');
    expect(at({ nbf: now + 60 })).toBe('invalid');
    expect(at({ nbf: now })).toBe('accepted');
    expect(at({ iat: 'yesterday' })).toBe('invalid');
    const late = handSigned({ alg: 'RS256' }, { exp: now - 3 }, keys.privateKey);
    expect(
      why(() => verifyRsaJwt(late, keys.publicKey, { ...opts, clockToleranceSeconds: 5 })),
    ).toBe('accepted');
  });
});
