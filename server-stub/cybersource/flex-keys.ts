/**
 * @module `POST /flex/v1/keys` (API-FACTS §4): a one-time Flex key, requested beside every
 * capture context as DESIGN.md's flow table says. Its failure never blocks checkout.
 */
import { z } from 'zod';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

// Minimal stub-side schema until `cybersource/flex-keys/` lands (lead to dedupe).
const FlexKeyResponse = z.looseObject({
  keyId: z.string().min(1),
  jwk: z.looseObject({ kty: z.string(), kid: z.string().optional() }).optional(),
});

export async function createFlexKey(
  client: CyberSourceClient,
  requestId?: string,
): Promise<{ keyId: string }> {
  const result = await guarded(() =>
    client.call({
      method: 'POST',
      path: '/flex/v1/keys',
      body: { encryptionType: 'RsaOaep256' },
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 200 && result.status !== 201) throw failureFor(result);
  return { keyId: parseAnswer(result, FlexKeyResponse).keyId };
}
