/**
 * @module Verifying a capture context before it is used: RS256 (or RS384/RS512, as the official
 * SDK's verifier allows, API-FACTS §5.2) signature against the key from
 * `/flex/v2/public-keys/{kid}`, cached by kid, refetched once on failure (the official SDK's
 * `CaptureContextParsingUtility.js`; RELIABILITY-FACTS §3.1 says not to copy the sample's
 * decode-only shortcut).
 */
import { decodeProtectedHeader, importJWK, type JWTPayload, jwtVerify } from 'jose';
import {
  CaptureContextPayload,
  type RsaPublicJwk,
} from '../../cybersource/microform-sessions/index.ts';
import type { CyberSourceClient } from '../cybersource/client.ts';
import { fetchFlexPublicKey } from '../cybersource/flex-public-keys.ts';
import { StubError, stubError } from '../errors.ts';

const ALGORITHMS = ['RS256', 'RS384', 'RS512'];

export class CaptureContextVerifier {
  readonly #keys = new Map<string, RsaPublicJwk>();
  readonly #client: CyberSourceClient;
  readonly #now: () => Date;

  constructor(client: CyberSourceClient, now: () => Date) {
    this.#client = client;
    this.#now = now;
  }

  /** The verified payload; throws `capture_context_invalid` otherwise. */
  async verify(jwt: string, requestId?: string): Promise<CaptureContextPayload> {
    let kid: string | undefined;
    let alg: string | undefined;
    try {
      ({ kid, alg } = decodeProtectedHeader(jwt));
    } catch (err) {
      throw stubError('capture_context_invalid', { cause: err });
    }
    if (!kid || !alg || !ALGORITHMS.includes(alg)) throw stubError('capture_context_invalid');
    const cached = this.#keys.get(kid);
    let payload = cached ? await this.#check(jwt, cached, alg) : undefined;
    if (!payload) {
      // Unknown kid, or CyberSource rotated the key behind a kid we cached: fetch once more.
      const fresh = await fetchFlexPublicKey(this.#client, kid, requestId);
      this.#keys.set(kid, fresh);
      payload = await this.#check(jwt, fresh, alg);
    }
    if (!payload) throw stubError('capture_context_invalid');
    const parsed = CaptureContextPayload.safeParse(payload);
    if (!parsed.success) throw stubError('capture_context_invalid');
    return parsed.data;
  }

  /** `alg` from the header (one of ALGORITHMS): a WebCrypto RSA key is bound to one hash. */
  async #check(jwt: string, jwk: RsaPublicJwk, alg: string): Promise<JWTPayload | undefined> {
    try {
      const key = await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, alg);
      const { payload } = await jwtVerify(jwt, key, {
        algorithms: ALGORITHMS,
        currentDate: this.#now(),
      });
      return payload;
    } catch (err) {
      if (err instanceof StubError) throw err;
      return undefined;
    }
  }
}
