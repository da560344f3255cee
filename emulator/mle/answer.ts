/**
 * @module An answer encrypted to the merchant's response key: the JSON body becomes
 * `{"encryptedResponse":"<compact JWE>"}` with the same status and headers, content type included
 * (the SDK decrypts any body of exactly that shape, success or error: ApiClient.js `callApi` runs
 * `checkAndDecryptEncryptedResponse` on both).
 *
 * Only JSON bodies are encrypted. A body that is not JSON (the capture context, a JWT sent as
 * `application/jwt`) and an empty one (204) are left as they are [inferred]: the SDK passes
 * anything but an object through unchanged, so either way it reads them.
 */
import { encryptMessage, type MleRecipient } from '../../cybersource/mle/index.ts';

export async function encryptAnswer(
  res: Response,
  recipient: MleRecipient,
  now: Date,
): Promise<Response | undefined> {
  if (!/json/i.test(res.headers.get('content-type') ?? '')) return undefined;
  const text = await res.clone().text();
  if (!text) return undefined;
  const jwe = await encryptMessage(text, recipient, now);
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify({ encryptedResponse: jwe }), {
    status: res.status,
    statusText: res.statusText,
    headers,
  });
}
