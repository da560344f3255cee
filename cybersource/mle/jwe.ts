/**
 * @module Message-level encryption (MLE) of REST bodies, both directions, as CyberSource
 * specifies it (REST getting-started guide, "Enable Message-Level Encryption"; the official
 * Node SDK's `MLEUtility.js` and `JWEUtility.js`, which is what CyberSource runs against):
 *
 * - a compact JWE, RSA-OAEP-256 wrapping an A256GCM content key, with the protected header
 *   `{alg, enc, cty: "JWT", kid, iat}`: `kid` names the recipient's key (for a request, the
 *   `serialNumber` in the subject of CyberSource's MLE certificate; for a response, the merchant's
 *   response-MLE key id), `iat` is in seconds (the guide's example, 1702493653, and the SDK);
 * - a request body becomes `{"encryptedRequest": "<jwe>"}` and the JWT's `digest` is over that
 *   body, the bytes sent; a response body becomes `{"encryptedResponse": "<jwe>"}`, sent only
 *   when the request's JWT named a key in its `v-c-response-mle-kid` claim.
 *
 * Only JWT authentication carries MLE (the guide: "MLE is supported when using JSON web tokens";
 * the SDK turns it off under HTTP signature).
 */
import type { KeyObject } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';
import { z } from 'zod';

export const MLE_ALG = 'RSA-OAEP-256';
export const MLE_ENC = 'A256GCM';

/** The one body shape of an encrypted request: anything beside the JWE is not MLE. */
export const EncryptedRequest = z.object({ encryptedRequest: z.string().min(1) }).strict();
export const EncryptedResponse = z.object({ encryptedResponse: z.string().min(1) }).strict();

/** The JWT claim that asks CyberSource to encrypt its answer, and names the key to use. */
export const RESPONSE_MLE_CLAIM = 'v-c-response-mle-kid';

export interface MleRecipient {
  publicKey: KeyObject;
  kid: string;
}

/** Encrypts `plaintext` (a JSON text) to `recipient` as a compact JWE. */
export function encryptMessage(plaintext: string, recipient: MleRecipient, now: Date) {
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({
      alg: MLE_ALG,
      enc: MLE_ENC,
      cty: 'JWT',
      kid: recipient.kid,
      iat: Math.floor(now.getTime() / 1000),
    })
    .encrypt(recipient.publicKey);
}

export type DecryptResult =
  | { ok: true; plaintext: string; kid: string | undefined }
  | { ok: false };

/**
 * Decrypts a compact JWE made for `privateKey`. Only the algorithms MLE uses are accepted (the
 * SDK also takes RSA-OAEP and A128GCM in answers, so a reader does too); anything else, a
 * tampered token or another recipient's, is `{ ok: false }`, never an exception.
 */
export async function decryptMessage(
  jwe: string,
  privateKey: KeyObject,
  accept: { legacy?: boolean } = {},
): Promise<DecryptResult> {
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey, {
      keyManagementAlgorithms: accept.legacy ? [MLE_ALG, 'RSA-OAEP'] : [MLE_ALG],
      contentEncryptionAlgorithms: accept.legacy ? [MLE_ENC, 'A128GCM'] : [MLE_ENC],
    });
    return { ok: true, plaintext: new TextDecoder().decode(plaintext), kid: protectedHeader.kid };
  } catch {
    return { ok: false };
  }
}

/**
 * Whether CyberSource takes request MLE on this call. The SDK's generated operation table marks
 * MLE `optional` on every payments (`/pts/`) and Token Management (`/tms/`) call that carries a
 * body, and on the transaction search (`POST /tss/v2/searches`, `createSearch`); `false` on
 * Microform and Flex key sessions and on bodiless reads and deletes (cybersource-rest-client
 * 0.0.83, `inboundMLEStatus` in `src/api/*.js`).
 */
export function requestMleApplies(method: string, path: string): boolean {
  const m = method.toUpperCase();
  if (m !== 'POST' && m !== 'PATCH') return false;
  const p = path.split('?', 1)[0]?.replace(/\/$/, '') ?? '';
  return (
    p.startsWith('/pts/') || p.startsWith('/tms/') || (m === 'POST' && p === '/tss/v2/searches')
  );
}
