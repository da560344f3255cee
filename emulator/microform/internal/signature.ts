/**
 * @module Verifying the capture context's signature inside the iframe.
 *
 * The real 0.11 iframe verifies the RS256 signature against public keys it pins by `kid`
 * (API-FACTS §5.2, MF011). The emulator's signing keys are made at run time, so the iframe
 * fetches the key from its own origin's `GET /flex/v2/public-keys/{kid}` instead; a page cannot
 * swap it because that request never leaves the emulator's origin.
 */
import type { CaptureContext } from '../shared/capture-context.ts';
import { isRecord, stringAt } from '../shared/guards.ts';

const HASHES: Record<string, string> = { RS256: 'SHA-256', RS384: 'SHA-384', RS512: 'SHA-512' };

function base64UrlBytes(segment: string): Uint8Array<ArrayBuffer> {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export async function verifyCaptureContext(context: CaptureContext): Promise<boolean> {
  const hash = HASHES[context.header.alg];
  const [header, payload, signature] = context.jwt.split('.');
  if (!hash || !header || !payload || !signature) return false;
  try {
    const res = await fetch(
      `${window.location.origin}/flex/v2/public-keys/${encodeURIComponent(context.header.kid)}`,
      { credentials: 'omit', cache: 'no-store' },
    );
    if (!res.ok) return false;
    const jwk: unknown = await res.json();
    if (!isRecord(jwk) || jwk.kty !== 'RSA') return false;
    const n = stringAt(jwk, 'n');
    const e = stringAt(jwk, 'e');
    if (!n || !e) return false;
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: 'RSA', n, e, ext: true },
      { name: 'RSASSA-PKCS1-v1_5', hash },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      base64UrlBytes(signature),
      new TextEncoder().encode(`${header}.${payload}`),
    );
  } catch {
    return false;
  }
}
