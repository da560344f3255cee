/**
 * @module `POST /flex/v1/keys` (API-FACTS §4): a one-time Flex key, requested beside every
 * capture context as DESIGN.md's flow table says. Its failure never blocks checkout.
 */
import { FlexKeyResponse } from '../../cybersource/flex-keys/index.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

// Only the id is kept, so only the id is required of the answer (the key itself is a seed).
// Built once: a schema made per call is compiled again on every checkout.
const FlexKeyId = FlexKeyResponse.pick({ keyId: true });

export async function createFlexKey(
  client: CyberSourceClient,
  /** The page the key serves: "Required to comply with CORS and CSP standards" (SPEC2020). */
  targetOrigin: string,
  requestId?: string,
): Promise<{ keyId: string }> {
  const result = await guarded(() =>
    client.call({
      method: 'POST',
      path: '/flex/v1/keys',
      body: { encryptionType: 'RsaOaep256', targetOrigin },
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 200 && result.status !== 201) throw failureFor(result);
  return { keyId: parseAnswer(result, FlexKeyId).keyId };
}
