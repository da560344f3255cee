/**
 * @module Redeeming a transient token inside a payment (`tokenInformation.transientTokenJwt`).
 *
 * The token must verify with the private half of its capture context's `flx.jwk` (it was
 * signed with it, API-FACTS §5.5), belong to the calling merchant, be unexpired (15 minutes)
 * and not have authorized a payment before ("15 minutes or until one successful authorization",
 * RELIABILITY-FACTS §3.4; the docs disagree, open question 8, and we take the stricter reading).
 */
import { createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { FlexStore, TransientTokenRecord } from './store.ts';

export type RedeemFailure = 'invalid' | 'expired' | 'used' | 'wrongMerchant';

export type RedeemResult =
  | { ok: true; record: TransientTokenRecord }
  | { ok: false; reason: RedeemFailure };

export async function redeemTransientToken(
  flex: FlexStore,
  merchantId: string,
  jwt: string,
  now: Date,
): Promise<RedeemResult> {
  let kid: string | undefined;
  let jti: unknown;
  try {
    kid = decodeProtectedHeader(jwt).kid;
    jti = decodeJwt(jwt).jti;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  const context = kid ? flex.contextByFlxKid(kid) : undefined;
  const record = typeof jti === 'string' ? flex.transientTokens.get(jti) : undefined;
  if (!context || !record || record.captureContextJti !== context.jti)
    return { ok: false, reason: 'invalid' };
  try {
    await jwtVerify(jwt, createPublicKey(context.privateKey), {
      algorithms: ['RS256'],
      currentDate: now,
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    return { ok: false, reason: code === 'ERR_JWT_EXPIRED' ? 'expired' : 'invalid' };
  }
  if (record.merchantId !== merchantId) return { ok: false, reason: 'wrongMerchant' };
  if (record.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  if (record.authorizedBy) return { ok: false, reason: 'used' };
  return { ok: true, record };
}

/** Call in the same synchronous stretch as the approval, so two payments cannot both use it. */
export function markAuthorized(record: TransientTokenRecord, paymentId: string): boolean {
  if (record.authorizedBy) return false;
  record.authorizedBy = paymentId;
  return true;
}
