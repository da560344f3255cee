/**
 * @module Minting a transient token (`mf-2.0.0`, API-FACTS §5.5) for validated card data.
 *
 * Signed RS256 with the capture context's one-time private key, header kid = `flx.jwk.kid`,
 * so it verifies with the `flx.jwk` embedded in the capture context. The card stays on the
 * emulator's side (`TransientTokenRecord`) for the payments endpoint to redeem.
 */
import { SignJWT } from 'jose';
import {
  TRANSIENT_TOKEN_ISSUER,
  TRANSIENT_TOKEN_LIFETIME_SECONDS,
  TRANSIENT_TOKEN_TYPE,
  type TransientTokenPayload,
} from '../../cybersource/microform-sessions/transient-token.ts';
import type { CardNetwork } from '../../cybersource/networks/types.ts';
import { transientTokenJti } from '../ids.ts';
import type { CaptureContextRecord, FlexStore, TransientCard } from './store.ts';

/** The brands whose bin may be 8 digits with `includeCardPrefix: true` (API-FACTS §5.1). */
const EIGHT_DIGIT_BIN: ReadonlySet<string> = new Set([
  'DISCOVER',
  'JCB',
  'MASTERCARD',
  'CUP',
  'VISA',
]);

/**
 * Absent → 6 digits; false → none; true → 8 for a 16+ digit card of (or co-branded with) one
 * of the five brands, else 6 (NODE `Microformv2sessionsTransientTokenResponseOptions.md`).
 */
export function binFor(
  number: string,
  networks: readonly CardNetwork[],
  includeCardPrefix?: boolean,
): string | undefined {
  if (includeCardPrefix === false) return undefined;
  const eight =
    includeCardPrefix === true &&
    number.length >= 16 &&
    networks.some((n) => EIGHT_DIGIT_BIN.has(n.name));
  return number.slice(0, eight ? 8 : 6);
}

export function maskedValue(number: string): string {
  return 'X'.repeat(number.length - 4) + number.slice(-4);
}

export async function mintTransientToken(
  flex: FlexStore,
  context: CaptureContextRecord,
  card: TransientCard,
  networks: readonly CardNetwork[],
  now: Date,
): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + TRANSIENT_TOKEN_LIFETIME_SECONDS;
  const jti = transientTokenJti();
  const bin = binFor(card.number, networks, context.includeCardPrefix);
  // Key order as in the real example (API-FACTS §5.5).
  const payload: TransientTokenPayload = {
    iss: TRANSIENT_TOKEN_ISSUER,
    exp,
    type: TRANSIENT_TOKEN_TYPE,
    iat,
    jti,
    content: {
      paymentInformation: {
        card: {
          number: {
            detectedCardTypes: card.types,
            maskedValue: maskedValue(card.number),
            ...(bin === undefined ? {} : { bin }),
          },
          ...(card.securityCode === undefined ? {} : { securityCode: {} }),
          expirationMonth: { value: card.expirationMonth },
          expirationYear: { value: card.expirationYear },
        },
      },
    },
  };
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({ kid: context.flxKid, alg: 'RS256' })
    .sign(context.privateKey);
  flex.transientTokens.set(jti, {
    jti,
    merchantId: context.merchantId,
    captureContextJti: context.jti,
    card,
    issuedAt: new Date(iat * 1000),
    expiresAt: new Date(exp * 1000),
  });
  return jwt;
}
