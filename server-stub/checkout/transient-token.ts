/**
 * @module Accepting a transient token: it must verify with the `flx.jwk` of the capture context
 * we kept for this checkout session, be unexpired, and be used once (RELIABILITY-FACTS §3.4,
 * API-FACTS §5.5). All of it is checked before any payment call.
 */
import { TransientTokenPayload } from '../../cybersource/microform-sessions/index.ts';
import { stubError } from '../errors.ts';
import type { Jwk } from '../store/rows.ts';
import { brandOf, last4Of } from './card-brand.ts';
import { JwtRefused, rsaPublicKey, verifyRsaJwt } from './jws.ts';

export interface AcceptedToken {
  jti: string;
  card: {
    brand: string;
    last4: string;
    type: string | undefined;
    expirationMonth?: string;
    expirationYear?: string;
  };
}

export async function verifyTransientToken(
  token: string,
  flxJwk: Jwk,
  now: Date,
): Promise<AcceptedToken> {
  let payload: unknown;
  try {
    payload = verifyRsaJwt(token, rsaPublicKey(flxJwk), { algorithms: ['RS256'], now });
  } catch (err) {
    if (err instanceof JwtRefused && err.why === 'expired')
      throw stubError('transient_token_expired');
    throw stubError('transient_token_invalid');
  }
  const parsed = TransientTokenPayload.safeParse(payload);
  if (!parsed.success) throw stubError('transient_token_invalid');
  const card = parsed.data.content.paymentInformation.card;
  const type = card.number.detectedCardTypes[0];
  const month = card.expirationMonth?.value;
  const year = card.expirationYear?.value;
  return {
    jti: parsed.data.jti,
    card: {
      brand: brandOf(type),
      last4: last4Of(card.number.maskedValue),
      type,
      ...(month === undefined ? {} : { expirationMonth: month }),
      ...(year === undefined ? {} : { expirationYear: year }),
    },
  };
}
