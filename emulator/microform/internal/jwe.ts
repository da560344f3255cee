/**
 * @module Compact JWE with WebCrypto: RSA-OAEP-256 key wrap + A256GCM content encryption.
 *
 * This is how the card data leaves the browser: encrypted to the capture context's one-time
 * `flx.jwk`, whose private half only the emulator (CyberSource) holds (API-FACTS §5.2, §5.4).
 * MF011 used RSA-OAEP with SHA-1; v2 is emulated with SHA-256 (emulator/flex/README.md).
 */
import type { FlxJwk } from '../shared/capture-context.ts';

const encoder = new TextEncoder();

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function encryptJwe(plaintext: string, jwk: FlxJwk): Promise<string> {
  const header = { kid: jwk.kid, alg: 'RSA-OAEP-256', enc: 'A256GCM' };
  const protectedHeader = base64Url(encoder.encode(JSON.stringify(header)));
  const cek = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  // WebCrypto appends the 16-byte tag to the ciphertext; JWE carries them apart.
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(protectedHeader), tagLength: 128 },
      cek,
      encoder.encode(plaintext),
    ),
  );
  // Only the public members: `alg`/`use`/`key_ops` in a JWK can make importKey refuse.
  const rsa = await crypto.subtle.importKey(
    'jwk',
    { kty: 'RSA', n: jwk.n, e: jwk.e, ext: true },
    { name: 'RSA-OAEP', hash: 'SHA-256' },
    false,
    ['wrapKey'],
  );
  const wrapped = new Uint8Array(
    await crypto.subtle.wrapKey('raw', cek, rsa, { name: 'RSA-OAEP' }),
  );
  return [
    protectedHeader,
    base64Url(wrapped),
    base64Url(iv),
    base64Url(sealed.slice(0, -16)),
    base64Url(sealed.slice(-16)),
  ].join('.');
}
