/**
 * @module Message-level encryption against an emulator, set up as a merchant sets it up in the
 * Business Center: CyberSource's request certificate downloaded, a response key pair made and
 * its public half registered under a key id. Returns the stub's `CYBERSOURCE_MLE_*` settings
 * (server-stub/README.md "Message-level encryption"). `npm start` on the embedded emulator, the
 * benchmark and the tests use it.
 */
import { generateKeyPairAsync, type KeySource } from '../emulator/flex/key-pool.ts';

export const DEMO_RESPONSE_KID = 'demo-response-key';

export async function emulatorMleSettings(
  emulatorUrl: string,
  options: { fetch?: typeof fetch; keys?: KeySource; kid?: string } = {},
): Promise<Record<string, string>> {
  const send = options.fetch ?? fetch;
  const kid = options.kid ?? DEMO_RESPONSE_KID;
  const certificate = await send(`${emulatorUrl}/__emulator/mle/request-certificate`);
  if (!certificate.ok) throw new Error(`emulator MLE certificate: HTTP ${certificate.status}`);
  const { publicKey, privateKey } = await (options.keys ?? generateKeyPairAsync)();
  const registered = await send(
    `${emulatorUrl}/__emulator/mle/response-keys/${encodeURIComponent(kid)}`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: publicKey.export({ type: 'spki', format: 'pem' }) }),
    },
  );
  if (!registered.ok) throw new Error(`emulator MLE response key: HTTP ${registered.status}`);
  return {
    CYBERSOURCE_MLE_REQUEST_CERT: await certificate.text(),
    CYBERSOURCE_MLE_RESPONSE_KEY: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    CYBERSOURCE_MLE_RESPONSE_KID: kid,
  };
}
