/**
 * @module `GET /flex/v2/public-keys/{kid}`: the RSA key that signs capture contexts, unauthenticated
 * (API-FACTS §5.2; the official SDK's `PublicKeyApiController.js`).
 */
import {
  PublicKeyResponse,
  type RsaPublicJwk,
} from '../../cybersource/microform-sessions/index.ts';
import { stubError } from '../errors.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

const KID = /^[A-Za-z0-9_-]{1,128}$/;

export async function fetchFlexPublicKey(
  client: CyberSourceClient,
  kid: string,
  requestId?: string,
): Promise<RsaPublicJwk> {
  if (!KID.test(kid)) throw stubError('capture_context_invalid');
  const result = await guarded(() =>
    client.call({
      method: 'GET',
      path: `/flex/v2/public-keys/${kid}`,
      authenticate: false,
      accept: 'application/json',
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  // A kid CyberSource does not know means a capture context nobody can verify: fail closed as
  // such (502), never as the generic `not_found` 404 a shopper would read as a missing endpoint.
  if (result.status === 400 || result.status === 404 || result.status === 410)
    throw stubError('capture_context_invalid');
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, PublicKeyResponse);
}
