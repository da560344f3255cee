/**
 * @module JWT request authentication with a shared secret, both sides.
 *
 * CyberSource's replacement for HTTP signatures (API-FACTS §1.6; the official Node SDK's
 * `JWTSigToken.js`, shared-secret branch): header `{alg:"HS256", kid:<keyId>}`, claims `iat`,
 * `exp = iat + 120`, `iss`, `jti`, `v-c-jwt-version:"2"`, `v-c-merchant-id`, `request-host`,
 * `request-resource-path`, `request-method` (lower case) and, with a body, `digest` (base64
 * SHA-256, no prefix) plus `digest-algorithm:"SHA-256"`. Sent as `Authorization: Bearer <jwt>`.
 *
 * We sign exactly as the Node SDK does. The verifier also takes what the other official SDKs
 * send, since all of them work against CyberSource (API-FACTS §1.6): an upper-case
 * `request-method` and `digestAlgorithm` (Python `Token.py`, .NET `JwtTokenGenerator.cs`, the
 * shared-secret docs page), a `request-resource-path` with the query (Python; Node since its
 * 16 May 2026 release) or without it (Node before, a .NET sample), and HS384/HS512 (the docs page
 * lists all three).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { z } from 'zod';
import { RESPONSE_MLE_CLAIM } from '../mle/jwe.ts';
import { constantTimeEqual } from './constant-time.ts';
import { type BodyBytes, methodHasBody, sha256Base64 } from './digest.ts';
import type { SigningKey } from './http-signature-verify.ts';

export const JWT_LIFETIME_SECONDS = 120;

export interface JwtSignInput {
  method: string;
  target: string;
  host: string;
  merchantId: string;
  keyId: string;
  secretBase64: string;
  body?: BodyBytes;
  now: Date;
  jti?: string;
  /**
   * The merchant's response-MLE key id: CyberSource then encrypts its answer to that key
   * (`v-c-response-mle-kid`, the SDK's `JWTSigToken.js`; cybersource/mle).
   */
  responseMleKid?: string;
}

export async function signJwtRequest(input: JwtSignInput): Promise<string> {
  const iat = Math.floor(input.now.getTime() / 1000);
  const claims: Record<string, unknown> = {
    'request-host': input.host,
    // The path with its query, as the current Node SDK signs it (`JWTSigToken.js` took the query
    // off until its 16 May 2026 release, which signs `requestTarget` whole) and Python always
    // has: what CyberSource's newest official client sends (API-FACTS §1.6).
    'request-resource-path': input.target,
    'request-method': input.method.toLowerCase(),
    'v-c-jwt-version': '2',
    'v-c-merchant-id': input.merchantId,
  };
  if (methodHasBody(input.method)) {
    claims.digest = sha256Base64(input.body ?? '');
    claims['digest-algorithm'] = 'SHA-256';
  }
  claims.iat = iat;
  claims.exp = iat + JWT_LIFETIME_SECONDS;
  claims.iss = input.merchantId;
  claims.jti = input.jti ?? randomUUID();
  if (input.responseMleKid !== undefined) claims[RESPONSE_MLE_CLAIM] = input.responseMleKid;
  // A compact JWS (RFC 7515 §7.1) signed with node:crypto's HMAC: a synchronous microsecond,
  // where WebCrypto's (jose's signer) is a thread-pool job that cost 0.2-0.8 ms on every call.
  // `verifyJwtRequest` checks it with jose, so the two implementations test each other.
  const header = { alg: 'HS256', typ: 'JWT', kid: input.keyId };
  const signingInput = `${base64urlJson(header)}.${base64urlJson(claims)}`;
  const signature = createHmac('sha256', Buffer.from(input.secretBase64, 'base64'))
    .update(signingInput)
    .digest('base64url');
  return `${signingInput}.${signature}`;
}

const base64urlJson = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The shared-secret algorithms the docs page accepts (API-FACTS §1.6); we sign with HS256. */
const ACCEPTED_ALGORITHMS = ['HS256', 'HS384', 'HS512'];

const DigestAlgorithm = z.literal('SHA-256').optional();

const Claims = z.object({
  iat: z.number(),
  exp: z.number(),
  iss: z.string(),
  jti: z.string().min(1),
  'v-c-merchant-id': z.string(),
  'v-c-jwt-version': z.string(),
  'request-host': z.string(),
  'request-resource-path': z.string(),
  'request-method': z.string(),
  digest: z.string().optional(),
  // Node spells it `digest-algorithm`; Python, .NET and the docs page `digestAlgorithm`.
  'digest-algorithm': DigestAlgorithm,
  digestAlgorithm: DigestAlgorithm,
  [RESPONSE_MLE_CLAIM]: z.string().min(1).optional(),
});

export type JwtFailure =
  | 'missing_token'
  | 'malformed_token'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'lifetime_too_long'
  | 'issued_in_future'
  | 'merchant_mismatch'
  | 'request_mismatch'
  | 'host_mismatch'
  | 'missing_digest'
  | 'digest_mismatch'
  | 'replayed_jti';

export type JwtVerifyResult =
  | {
      ok: true;
      key: SigningKey;
      /** The key the client asked CyberSource to encrypt its answer to, if any (MLE). */
      responseMleKid?: string;
    }
  | { ok: false; failure: JwtFailure };

/** Remembers used `jti` values until their token expires, to refuse replays. */
export class JtiReplayGuard {
  readonly #seen = new Map<string, number>();
  /**
   * The size at which the next sweep runs: twice what the last one kept (at least 10 000).
   * A fixed threshold swept the whole map on every request once more tokens than that were
   * live (each lives 120 s: above some 83 requests a second), each sweep freeing nothing.
   */
  #sweepAt = 10_000;

  /** Returns false when the jti was already used. */
  claim(jti: string, expiresAtMs: number, nowMs: number): boolean {
    if (this.#seen.size > this.#sweepAt) {
      this.#sweep(nowMs);
      this.#sweepAt = Math.max(10_000, 2 * this.#seen.size);
    }
    const prior = this.#seen.get(jti);
    if (prior !== undefined && prior > nowMs) return false;
    this.#seen.set(jti, expiresAtMs);
    return true;
  }

  clear(): void {
    this.#seen.clear();
  }

  #sweep(nowMs: number): void {
    for (const [jti, exp] of this.#seen) if (exp <= nowMs) this.#seen.delete(jti);
  }
}

export interface JwtVerifyRequest {
  method: string;
  target: string;
  /** The Host header the request arrived with. */
  host: string;
  authorization: string | undefined;
  body: Uint8Array;
}

export interface JwtVerifyOptions {
  now: Date;
  findKey: (keyId: string) => SigningKey | undefined;
  replayGuard: JtiReplayGuard;
  /** Hosts that a client may sign besides the Host header (the SDK signs its runEnvironment). */
  hostAliases?: readonly string[];
  clockToleranceSeconds?: number;
}

const fail = (failure: JwtFailure): JwtVerifyResult => ({ ok: false, failure });

export async function verifyJwtRequest(
  req: JwtVerifyRequest,
  opts: JwtVerifyOptions,
): Promise<JwtVerifyResult> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? '');
  const token = match?.[1];
  if (!token) return fail('missing_token');
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (!header.alg || !ACCEPTED_ALGORITHMS.includes(header.alg)) return fail('malformed_token');
    kid = header.kid;
  } catch {
    return fail('malformed_token');
  }
  const key = kid ? opts.findKey(kid) : undefined;
  if (!key) return fail('unknown_key');

  let payload: unknown;
  try {
    const verified = await jwtVerify(token, Buffer.from(key.secretBase64, 'base64'), {
      algorithms: ACCEPTED_ALGORITHMS,
      currentDate: opts.now,
      clockTolerance: opts.clockToleranceSeconds ?? 5,
    });
    payload = verified.payload;
  } catch (err) {
    const code = (err as { code?: string }).code;
    return fail(code === 'ERR_JWT_EXPIRED' ? 'expired' : 'bad_signature');
  }
  const parsed = Claims.safeParse(payload);
  if (!parsed.success) return fail('malformed_token');
  const c = parsed.data;
  if (c.exp - c.iat > JWT_LIFETIME_SECONDS) return fail('lifetime_too_long');
  // A token from the future would otherwise outlive the 120 s window (API-FACTS §1.6).
  if (c.iat * 1000 > opts.now.getTime() + (opts.clockToleranceSeconds ?? 5) * 1000) {
    return fail('issued_in_future');
  }
  if (c.iss !== key.merchantId || c['v-c-jwt-version'] !== '2') return fail('malformed_token');
  if (c['v-c-merchant-id'] !== key.merchantId) return fail('merchant_mismatch');
  // Node sends `post`, Python and .NET `POST` (API-FACTS §1.6).
  const sameMethod = c['request-method'].toLowerCase() === req.method.toLowerCase();
  // Node before its 16 May 2026 release signed the path alone; Node since, and Python, the path
  // with its query (what `signJwtRequest` sends).
  const path = req.target.split('?', 1)[0];
  const resource = c['request-resource-path'];
  if (!sameMethod || (resource !== req.target && resource !== path)) {
    return fail('request_mismatch');
  }
  const hosts = [req.host, ...(opts.hostAliases ?? [])];
  if (!hosts.includes(c['request-host'])) return fail('host_mismatch');
  if (methodHasBody(req.method)) {
    if (!c.digest) return fail('missing_digest');
    if (!constantTimeEqual(c.digest, sha256Base64(req.body))) return fail('digest_mismatch');
  }
  if (!opts.replayGuard.claim(c.jti, c.exp * 1000, opts.now.getTime())) return fail('replayed_jti');
  const responseMleKid = c[RESPONSE_MLE_CLAIM];
  return responseMleKid === undefined ? { ok: true, key } : { ok: true, key, responseMleKid };
}
