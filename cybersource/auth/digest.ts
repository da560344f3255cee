/**
 * @module Body digest for CyberSource HTTP-signature and JWT request authentication.
 *
 * A plain SHA-256 of the raw body bytes as sent (API-FACTS §1.3: the SDK comment says "HMAC",
 * the code and the server use a plain hash). Never re-serialise a parsed body before hashing.
 */
import { createHash } from 'node:crypto';

export type BodyBytes = string | Uint8Array;

/** Base64 SHA-256 of the body: the value inside `digest: SHA-256=…` and the JWT `digest` claim. */
export function sha256Base64(body: BodyBytes): string {
  return createHash('sha256').update(body).digest('base64');
}

/** The `digest` header value, e.g. `SHA-256=k/k6wzjZ9d8OV+T9sJhnR8QwQqEhAh86njLofDnMv2s=`. */
export function bodyDigest(body: BodyBytes): string {
  return `SHA-256=${sha256Base64(body)}`;
}

/** Methods whose requests carry a body and therefore a digest (API-FACTS §1.2). */
export function methodHasBody(method: string): boolean {
  const m = method.toUpperCase();
  return m === 'POST' || m === 'PUT' || m === 'PATCH';
}
