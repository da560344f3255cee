/**
 * @module Declines that are not what their status says: soft declines, and refusals that are the
 * merchant account's, not the card's.
 *
 * Soft declines. CyberSource answers `AUTHORIZED_PENDING_REVIEW` both for a person's
 * review (Decision Manager, `DECISION_PROFILE_REVIEW`) and for its own checks failing on an
 * authorization the issuer approved: `AVS_FAILED`, `CV_FAILED` (Simple Order 200 / 230, "Soft
 * Decline - … approved by the issuing bank but declined by CyberSource"), and `CONTACT_PROCESSOR`
 * (201, a referral: no authorization code) (API-FACTS §2.5, §6; `responsecode.json` pairs
 * AVS_FAILED and CONTACT_PROCESSOR with this status). Nobody reviews those: CyberSource's advice
 * for a soft decline is to reject the sale and reverse the authorization.
 *
 * [Decision] A soft decline is a decline: 402 `card_declined` with its reason (so the widget says
 * "the security code did not match" and the decline caps count a guessed code), and for AVS and
 * CVN the authorization is reversed (`auth_hold` `held`, reconcile/release-hold.ts). A referral
 * holds nothing to reverse.
 */

/** Reasons that make `AUTHORIZED_PENDING_REVIEW` a decline, and whether an authorization stands. */
const SOFT_DECLINES: ReadonlyMap<string, boolean> = new Map([
  ['AVS_FAILED', true],
  ['CV_FAILED', true],
  ['CONTACT_PROCESSOR', false],
]);

export interface SoftDecline {
  reason: string;
  /** The issuer's approval still holds the amount on the card until it is reversed. */
  holds: boolean;
}

/** The soft decline an answer's status and reason make, if they make one. */
export function softDecline(status: string, reason: string | undefined): SoftDecline | undefined {
  if (status !== 'AUTHORIZED_PENDING_REVIEW' || reason === undefined) return undefined;
  const holds = SOFT_DECLINES.get(reason);
  return holds === undefined ? undefined : { reason, holds };
}

/**
 * A 201 `DECLINED` whose reason is the merchant's account, not the shopper's card
 * (`INVALID_MERCHANT_CONFIGURATION`, the configuration group of API-FACTS §2.5; in the 2020
 * spec's 201 reason enum). [Decision] Not a decline: the shopper is told nothing was charged
 * (402 `payment_canceled`, as for a gateway that refused the call), no decline cap counts it, a
 * renewal is not counted as an attempt, and it is logged as an error for the merchant to fix.
 */
export const refusedByAccount = (status: string, reason: string | undefined): boolean =>
  status === 'DECLINED' && reason === 'INVALID_MERCHANT_CONFIGURATION';
