/**
 * @module Verifying a capture context before it is used: RS256 (or RS384/RS512, as the official
 * SDK's verifier allows, API-FACTS §5.2) signature against the key from
 * `/flex/v2/public-keys/{kid}`, cached by kid, refetched once on failure (the official SDK's
 * `CaptureContextParsingUtility.js`; RELIABILITY-FACTS §3.1 says not to copy the sample's
 * decode-only shortcut).
 */
import type { KeyObject } from 'node:crypto';
import { CaptureContextPayload } from '../../cybersource/microform-sessions/index.ts';
import type { CyberSourceClient } from '../cybersource/client.ts';
import { fetchFlexPublicKey } from '../cybersource/flex-public-keys.ts';
import { stubError } from '../errors.ts';
import { jwtHeader, type RsaAlgorithm, rsaPublicKey, verifyRsaJwt } from './jws.ts';

const ALGORITHMS: readonly RsaAlgorithm[] = ['RS256', 'RS384', 'RS512'];

/**
 * Kids whose key is kept. CyberSource signs with one key at a time and rotates now and then; a
 * few more cover a rotation's overlap. Past it the kid fetched longest ago goes (fetched again
 * if it comes back): an upstream that named a new kid for each capture context would otherwise
 * grow the map by one key per checkout for the process's life.
 */
const MAX_KIDS = 16;

export class CaptureContextVerifier {
  /** By kid, made once from its JWK (not imported again for every session). */
  readonly #keys = new Map<string, KeyObject>();
  readonly #client: CyberSourceClient;
  readonly #now: () => Date;

  constructor(client: CyberSourceClient, now: () => Date) {
    this.#client = client;
    this.#now = now;
  }

  /** The verified payload; throws `capture_context_invalid` otherwise. */
  async verify(jwt: string, requestId?: string): Promise<CaptureContextPayload> {
    let kid: unknown;
    let alg: unknown;
    try {
      ({ kid, alg } = jwtHeader(jwt));
    } catch (err) {
      throw stubError('capture_context_invalid', { cause: err });
    }
    if (typeof kid !== 'string' || !kid || !ALGORITHMS.some((a) => a === alg)) {
      throw stubError('capture_context_invalid');
    }
    const cached = this.#keys.get(kid);
    let payload = cached ? this.#check(jwt, cached) : undefined;
    if (!payload) {
      // Unknown kid, or CyberSource rotated the key behind a kid we cached: fetch once more.
      const jwk = await fetchFlexPublicKey(this.#client, kid, requestId);
      const fresh = publicKeyOf(jwk);
      this.#keys.delete(kid); // set again, it is the newest
      this.#keys.set(kid, fresh);
      if (this.#keys.size > MAX_KIDS) this.#keys.delete(this.#keys.keys().next().value ?? kid);
      payload = this.#check(jwt, fresh);
    }
    if (!payload) throw stubError('capture_context_invalid');
    const parsed = CaptureContextPayload.safeParse(payload);
    if (!parsed.success) throw stubError('capture_context_invalid');
    return parsed.data;
  }

  /** Number of kids whose key is kept (tests). */
  get size(): number {
    return this.#keys.size;
  }

  /** Undefined when the signature or the claims do not verify with `key`. */
  #check(jwt: string, key: KeyObject): Record<string, unknown> | undefined {
    try {
      return verifyRsaJwt(jwt, key, { algorithms: ALGORITHMS, now: this.#now() });
    } catch {
      return undefined;
    }
  }
}

/** The key for a kid; one node:crypto cannot read fails closed. */
function publicKeyOf(jwk: { n: string; e: string }): KeyObject {
  try {
    return rsaPublicKey(jwk);
  } catch (err) {
    throw stubError('capture_context_invalid', { cause: err });
  }
}
