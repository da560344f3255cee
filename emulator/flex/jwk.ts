/**
 * @module RSA public keys as the JWK and DER forms the Flex APIs publish (API-FACTS §4, §5.2).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

/** The public half, whichever half is given (createPublicKey refuses a public KeyObject). */
function publicHalf(key: KeyObject): KeyObject {
  return key.type === 'public' ? key : createPublicKey(key);
}

import { RsaPublicJwk } from '../../cybersource/microform-sessions/public-key.ts';

/** `{kty:"RSA", n, e}` of a key pair's public half (given either half). */
export function rsaPublicJwk(key: KeyObject): { kty: 'RSA'; n: string; e: string } {
  const { n, e } = RsaPublicJwk.parse(publicHalf(key).export({ format: 'jwk' }));
  return { kty: 'RSA', n, e };
}

/** Base64 X.509 SubjectPublicKeyInfo, Flex v1's `der.publicKey`. */
export function rsaPublicDerBase64(key: KeyObject): string {
  return publicHalf(key).export({ format: 'der', type: 'spki' }).toString('base64');
}
