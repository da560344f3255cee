/**
 * @module A merchant's response-MLE key, as registered through the control API: the public half
 * of the key pair whose private half the merchant's SDK decrypts answers with
 * (`responseMlePrivateKey`, MLE.md §2.2), named by the key id its JWTs send in
 * `v-c-response-mle-kid`. In CyberSource that is a Business Center setting.
 *
 * Accepted: an SPKI public key PEM (`BEGIN PUBLIC KEY`) or an X.509 certificate PEM, RSA of at
 * least 2048 bits (MLE wraps the content key with RSA-OAEP-256). A private key is refused rather
 * than reduced to its public half: one sent here has already left the merchant, and the answer
 * says so instead of quietly accepting it.
 */
import { createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { z } from 'zod';

const MIN_MODULUS_BITS = 2048;

type KeyRead = { ok: true; key: KeyObject } | { ok: false; message: string };

export function readResponsePublicKey(pem: string): KeyRead {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  let key: KeyObject;
  try {
    if (label === 'CERTIFICATE') key = new X509Certificate(pem).publicKey;
    else if (label === 'PUBLIC KEY') key = createPublicKey({ key: pem, format: 'pem' });
    else if (label?.includes('PRIVATE KEY'))
      return { ok: false, message: 'is a private key: send the public key or its certificate' };
    else return { ok: false, message: 'must be a PEM public key (SPKI) or certificate' };
  } catch {
    return { ok: false, message: `is not a readable ${label?.toLowerCase()} PEM` };
  }
  if (key.asymmetricKeyType !== 'rsa')
    return { ok: false, message: 'must be an RSA key (MLE uses RSA-OAEP-256)' };
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_MODULUS_BITS)
    return { ok: false, message: `must be an RSA key of at least ${MIN_MODULUS_BITS} bits` };
  return { ok: true, key };
}

/** `PUT /__emulator/mle/response-keys/{kid}`. */
export const ResponseKeyBody = z.strictObject({
  publicKey: z.string().transform((pem, ctx) => {
    const read = readResponsePublicKey(pem);
    if (read.ok) return read.key;
    ctx.addIssue({ code: 'custom', message: read.message });
    return z.NEVER;
  }),
  /** The merchant whose JWTs may name this key; default: the emulator's first (`testrest`). */
  merchantId: z.string().min(1).optional(),
});

/** Key ids as a JWT claim carries them: printable ASCII, no spaces [our bound]. */
export const ResponseKeyId = z.string().regex(/^[\x21-\x7e]{1,128}$/, {
  message: 'must be 1-128 printable ASCII characters, no spaces',
});
