/**
 * @module `POST /flex/v1/keys` (API-FACTS §4): a one-time RSA key, valid 15 minutes, as
 * `keyId` + DER (X.509 SubjectPublicKeyInfo) + JWK. Errors use the `responseStatus` envelope.
 */

import type { FlexKeyRequest } from '../../cybersource/flex-keys/request.ts';
import type { FlexKeyErrorBody, FlexKeyResponse } from '../../cybersource/flex-keys/response.ts';
import { FLEX_KEY_LIFETIME_SECONDS } from '../../cybersource/flex-keys/response.ts';
import type { EmulatorDeps } from '../http/env.ts';
import { flexKeyId } from '../ids.ts';
import { rsaPublicDerBase64, rsaPublicJwk } from './jwk.ts';
import { responseStatus } from './response-status.ts';

export const FLEX_KEYS_PATH = '/flex/v1/keys';

export async function issueFlexKey(
  { state, keys }: EmulatorDeps,
  merchantId: string,
  request: FlexKeyRequest,
): Promise<FlexKeyResponse> {
  const { privateKey, publicKey } = await keys();
  const keyId = flexKeyId();
  const now = state.now();
  state.flex.v1Keys.set(keyId, {
    keyId,
    merchantId,
    privateKey,
    encryptionType: request.encryptionType,
    ...(request.targetOrigin === undefined ? {} : { targetOrigin: request.targetOrigin }),
    expiresAt: new Date(now.getTime() + FLEX_KEY_LIFETIME_SECONDS * 1000),
  });
  const { n, e } = rsaPublicJwk(publicKey);
  return {
    keyId,
    der: { format: 'X.509', algorithm: 'RSA', publicKey: rsaPublicDerBase64(publicKey) },
    jwk: { kty: 'RSA', use: 'enc', kid: keyId, n, e },
  };
}

export function flexKeyError(
  correlationId: string,
  status: number,
  reason: string,
  message: string,
  details?: { location: string; message: string }[],
): FlexKeyErrorBody {
  return {
    responseStatus: responseStatus(correlationId, status, reason, message, details),
    _links: { self: { href: FLEX_KEYS_PATH, method: 'POST' } },
  };
}
