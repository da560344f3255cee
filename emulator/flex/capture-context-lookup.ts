/**
 * @module Finding the record behind a capture-context JWT that a client hands back (the
 * control API's minting): it must carry the signature of one of the emulator's signing keys
 * and be exactly the JWT that was issued.
 */
import { createPublicKey } from 'node:crypto';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { CaptureContextPayload } from '../../cybersource/microform-sessions/capture-context.ts';
import type { CaptureContextRecord, FlexStore } from './store.ts';

export async function findCaptureContext(
  flex: FlexStore,
  jwt: string,
): Promise<CaptureContextRecord | undefined> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(jwt).kid;
  } catch {
    return undefined;
  }
  const signing = kid === undefined ? undefined : flex.signingKeys.get(kid);
  if (!signing) return undefined;
  let payloadBytes: Uint8Array;
  try {
    // Expiry is judged by the caller against the record, so only the signature is checked here.
    ({ payload: payloadBytes } = await compactVerify(jwt, createPublicKey(signing.privateKey), {
      algorithms: ['RS256'],
    }));
  } catch {
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(payloadBytes));
  } catch {
    return undefined;
  }
  const payload = CaptureContextPayload.safeParse(json);
  if (!payload.success) return undefined;
  const record = flex.captureContexts.get(payload.data.jti);
  return record?.jwt === jwt ? record : undefined;
}
