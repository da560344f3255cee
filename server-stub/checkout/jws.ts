/**
 * @module Verifying a JWT signed with RSA (RS256/384/512): the capture context and the transient
 * token. Synchronous, with node:crypto: jose's verification is a WebCrypto job whose await let
 * other I/O (the session's Flex key answer) run in the middle of the check a shopper waits for,
 * adding up to 4 ms to starting a checkout on the CI machine. The rules are the standard ones
 * (RFC 7515 §5.2, RFC 7519 §7.2, §4.1.4-4.1.6): three base64url parts; `alg` one the caller
 * allows; no `crit` (we understand no extension, §4.1.11); an RSA key of 2048 bits or more
 * (RFC 7518 §3.3); a payload that is a JSON object; `exp` in the future and `nbf` in the
 * past, each numeric when present.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

const HASHES = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' } as const;
export type RsaAlgorithm = keyof typeof HASHES;

const PART = /^[A-Za-z0-9_-]+$/;
/** Strict: bytes that are not UTF-8 make the part invalid (as jose's decoder did). */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a JWT was refused: `expired` is the only reason a caller tells apart. */
export class JwtRefused extends Error {
  constructor(readonly why: 'invalid' | 'expired') {
    super(`JWT ${why}`);
    this.name = 'JwtRefused';
  }
}

const invalid = () => new JwtRefused('invalid');

function jsonObject(part: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(Buffer.from(part, 'base64url')));
  } catch {
    throw invalid();
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid();
  return value as Record<string, unknown>;
}

/** An RSA public key from a JWK's `n` and `e`; one node:crypto cannot read is `invalid`. */
export function rsaPublicKey(jwk: { n: string; e: string }): KeyObject {
  try {
    return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch {
    throw invalid();
  }
}

/** The protected header, unverified (to choose the key by `kid`). */
export function jwtHeader(jwt: string): Record<string, unknown> {
  const [header = ''] = jwt.split('.', 1);
  if (!PART.test(header)) throw invalid();
  return jsonObject(header);
}

export interface RsaJwtOptions {
  algorithms: readonly RsaAlgorithm[];
  now: Date;
  clockToleranceSeconds?: number;
}

/** The verified payload; throws `JwtRefused`. */
export function verifyRsaJwt(
  jwt: string,
  key: KeyObject,
  options: RsaJwtOptions,
): Record<string, unknown> {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts.every((p) => PART.test(p))) throw invalid();
  const [h = '', p = '', s = ''] = parts;
  const header = jsonObject(h);
  const alg = options.algorithms.find((a) => a === header.alg);
  if (!alg || header.crit !== undefined) throw invalid();
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa' || bits < 2048) throw invalid();
  // RSASSA-PKCS1-v1_5 is node:crypto's default padding for an RSA key (RFC 7518 §3.3).
  if (!verify(HASHES[alg], Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) {
    throw invalid();
  }
  const payload = jsonObject(p);
  const now = Math.floor(options.now.getTime() / 1000);
  // A broken clock (an invalid Date) would make every comparison false: an expired token passes.
  if (!Number.isFinite(now)) throw invalid();
  const tolerance = options.clockToleranceSeconds ?? 0;
  const { exp, nbf, iat } = payload;
  if (exp !== undefined && typeof exp !== 'number') throw invalid();
  if (nbf !== undefined && typeof nbf !== 'number') throw invalid();
  if (iat !== undefined && typeof iat !== 'number') throw invalid();
  if (typeof nbf === 'number' && nbf > now + tolerance) throw invalid();
  if (typeof exp === 'number' && exp <= now - tolerance) throw new JwtRefused('expired');
  return payload;
}
