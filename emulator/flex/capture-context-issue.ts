/**
 * @module Issuing a capture context (`POST /microform/v2/sessions`, API-FACTS §5.1–5.2).
 *
 * RS256 over the payload of §5.2, signed by the emulator's long-lived signing key; `flx.jwk`
 * is a fresh one-time RSA key whose private half stays here to decrypt the iframe's JWE and
 * to sign the transient tokens minted from this context (§5.5).
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  CAPTURE_CONTEXT_ISSUER,
  CAPTURE_CONTEXT_LIFETIME_SECONDS,
  type CaptureContextPayload,
  MICROFORM_CONTEXT_TYPE,
  type MicroformContextData,
} from '../../cybersource/microform-sessions/capture-context.ts';
import type { SessionsRequest } from '../../cybersource/microform-sessions/request.ts';
import type { EmulatorDeps } from '../http/env.ts';
import { flexKeyId } from '../ids.ts';
import { MICROFORM_LIBRARY_PATH, microformLibrary } from '../microform/assets.ts';
import { rsaPublicJwk } from './jwk.ts';
import { currentSigningKey } from './signing-key.ts';

/** The iframe posts to `flx.origin + flx.path` (API-FACTS §5.4). */
export const TOKENS_PATH = '/flex/v2/tokens';

/** Expired contexts are forgotten this long after expiry (memory, not behaviour). */
const PRUNE_GRACE_MS = 60 * 60_000;

const JTI_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 mixed-case alphanumerics, like the real example's "YEoklGF9hS78usgy" (§5.2). */
function captureContextJti(): string {
  let s = '';
  for (const b of randomBytes(16)) s += JTI_ALPHABET[b % JTI_ALPHABET.length];
  return s;
}

export async function issueCaptureContext(
  { state, config, keys }: EmulatorDeps,
  merchantId: string,
  request: SessionsRequest,
): Promise<string> {
  const [signing, pair, library] = await Promise.all([
    currentSigningKey(state.flex, keys),
    keys(),
    microformLibrary(),
  ]);
  const now = state.now();
  state.flex.pruneExpired(now, PRUNE_GRACE_MS);
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + CAPTURE_CONTEXT_LIFETIME_SECONDS;
  const jti = captureContextJti();
  const flxKid = flexKeyId();
  const { kty, n, e } = rsaPublicJwk(pair.publicKey);
  const allowedCardNetworks = request.allowedCardNetworks ?? [];
  const mf: MicroformContextData = {
    clientLibrary: config.publicUrl + MICROFORM_LIBRARY_PATH,
    clientLibraryIntegrity: library.integrity,
    allowedCardNetworks,
    targetOrigins: request.targetOrigins,
    mfOrigin: config.publicUrl,
  };
  // Key order follows the real payload (§5.2). `flx.data` is opaque to every client; the
  // emulator keeps its state server-side, so random bytes of a plausible size stand in.
  const payload: CaptureContextPayload = {
    flx: {
      path: TOKENS_PATH,
      data: randomBytes(96).toString('base64'),
      origin: config.publicUrl,
      jwk: { kty, e, use: 'enc', n, kid: flxKid },
    },
    ctx: [{ data: mf, type: MICROFORM_CONTEXT_TYPE }],
    iss: CAPTURE_CONTEXT_ISSUER,
    exp,
    iat,
    jti,
  };
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({ kid: signing.kid, alg: 'RS256' })
    .sign(signing.privateKey);
  const includeCardPrefix = request.transientTokenResponseOptions?.includeCardPrefix;
  state.flex.addCaptureContext({
    merchantId,
    jti,
    jwt,
    flxKid,
    publicJwk: payload.flx.jwk,
    privateKey: pair.privateKey,
    targetOrigins: request.targetOrigins,
    allowedCardNetworks,
    allowedPaymentTypes: request.allowedPaymentTypes ?? ['CARD'],
    ...(includeCardPrefix === undefined ? {} : { includeCardPrefix }),
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
    tokensIssued: 0,
    tokenizationAttempts: 0,
  });
  return jwt;
}
