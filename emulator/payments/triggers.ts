/**
 * @module The sandbox trigger table: which requests the emulated processor declines, holds,
 * partially approves or times out (API-FACTS §6; open question 6 — the real `testrest`
 * simulator is unknown, so the emulator picks its own values, listed in README.md).
 *
 * Amount triggers are whole totals in the thousands, far from catalog prices, and apply in any
 * currency (2100 JPY, 2100.00 USD, 2100.000 KWD), so they work for every payment source: raw
 * card, transient token, TMS token. Card triggers: the real sandbox's invalid 17-digit number,
 * any Luhn-invalid number, a past expiry date, and security code 002 (the Visa simulator's CVN
 * trigger).
 */
import { currencyDecimals } from '../../cybersource/payments/index.ts';

export type DeclineReason =
  | 'PROCESSOR_DECLINED'
  | 'GENERAL_DECLINE'
  | 'INSUFFICIENT_FUND'
  | 'EXPIRED_CARD'
  | 'STOLEN_LOST_CARD'
  | 'INVALID_ACCOUNT';

export type Outcome =
  | { kind: 'approve' }
  | { kind: 'partial'; authorizedMinor: number }
  /**
   * Approved by the issuer, then held: by CyberSource's own AVS or CVN check (a soft decline) or
   * for a person by the merchant's Decision Manager profile.
   */
  | { kind: 'review'; reason: 'AVS_FAILED' | 'CV_FAILED' | 'DECISION_PROFILE_REVIEW' }
  /** Approved by the issuer, then rejected by the merchant's Decision Manager profile. */
  | { kind: 'risk_decline' }
  | { kind: 'decline'; reason: DeclineReason }
  /** 502: `processed` means the authorization happened and only the answer was lost. */
  | { kind: 'error'; reason: 'SERVER_TIMEOUT' | 'SYSTEM_ERROR'; processed: boolean };

/** Messages in the style of the real sandbox's "Decline - Invalid account number" (API-FACTS §6). */
export const DECLINE_MESSAGES: Record<
  | DeclineReason
  | 'AVS_FAILED'
  | 'CV_FAILED'
  | 'DECISION_PROFILE_REJECT'
  | 'DECISION_PROFILE_REVIEW',
  string
> = {
  PROCESSOR_DECLINED:
    'Decline - General decline of the card. No other information provided by the issuing bank.',
  GENERAL_DECLINE: 'Decline - General decline by the processor.',
  INSUFFICIENT_FUND: 'Decline - Insufficient funds in the account.',
  EXPIRED_CARD:
    'Decline - Expired card. You might also receive this if the expiration date you provided does not match the date the issuing bank has on file.',
  STOLEN_LOST_CARD: 'Decline - Stolen or lost card.',
  INVALID_ACCOUNT: 'Decline - Invalid account number',
  AVS_FAILED:
    'Soft Decline - The authorization request was approved by the issuing bank but declined by CyberSource because it did not pass the Address Verification Service (AVS) check.',
  CV_FAILED:
    'Soft Decline - The authorization request was approved by the issuing bank but declined by CyberSource because it did not pass the card verification number (CVN) check.',
  // Reason code 481's wording ("rejected by Decision Manager") [inferred for REST].
  DECISION_PROFILE_REJECT: 'The order has been rejected by Decision Manager.',
  // Reason code 480's wording ("marked for review by Decision Manager") [inferred for REST].
  DECISION_PROFILE_REVIEW: 'The order is marked for review by Decision Manager.',
};

/** ISO 8583-style issuer codes per decline [inferred]; approvals answer "100" (API-FACTS §6). */
export const DECLINE_RESPONSE_CODES: Record<DeclineReason, string> = {
  PROCESSOR_DECLINED: '05',
  GENERAL_DECLINE: '96',
  INSUFFICIENT_FUND: '51',
  EXPIRED_CARD: '54',
  STOLEN_LOST_CARD: '43',
  INVALID_ACCOUNT: '14',
};

/** The real sandbox declines this 17-digit number with INVALID_ACCOUNT (API-FACTS §6, AM remote test). */
export const INVALID_ACCOUNT_CARD = '42423482938483873';
/** Security code that fails the CVN check, as on the Visa simulator (API-FACTS §6). */
export const CV_FAILED_SECURITY_CODE = '002';

/** Totals (major units) and what they trigger; README.md carries the same table. */
export const AMOUNT_TRIGGERS: Record<number, Outcome | 'partial'> = {
  2000: { kind: 'error', reason: 'SERVER_TIMEOUT', processed: true },
  2001: { kind: 'error', reason: 'SYSTEM_ERROR', processed: false },
  2100: { kind: 'decline', reason: 'PROCESSOR_DECLINED' },
  2101: { kind: 'decline', reason: 'GENERAL_DECLINE' },
  2102: { kind: 'decline', reason: 'INSUFFICIENT_FUND' },
  2103: { kind: 'decline', reason: 'EXPIRED_CARD' },
  2104: { kind: 'decline', reason: 'STOLEN_LOST_CARD' },
  2105: { kind: 'decline', reason: 'INVALID_ACCOUNT' },
  2200: { kind: 'review', reason: 'AVS_FAILED' },
  2201: { kind: 'review', reason: 'CV_FAILED' },
  2202: { kind: 'risk_decline' },
  2203: { kind: 'review', reason: 'DECISION_PROFILE_REVIEW' },
  2300: 'partial',
};

export interface TriggerInput {
  number: string;
  securityCode?: string | undefined;
  totalMinor: number;
  currency: string;
  /** The card's last valid month has passed. */
  expired: boolean;
  /** Failed Luhn or matched no network. */
  invalidNumber: boolean;
  /** `authorizationOptions.partialAuthIndicator`; only an explicit false turns partials off. */
  partialAuthIndicator?: boolean | undefined;
  ignoreAvsResult?: boolean | undefined;
  ignoreCvResult?: boolean | undefined;
}

function amountTrigger(totalMinor: number, currency: string): Outcome | 'partial' | undefined {
  const scale = 10 ** (currencyDecimals(currency) ?? 2);
  if (totalMinor % scale !== 0) return undefined;
  return AMOUNT_TRIGGERS[totalMinor / scale];
}

/** What the emulated processor does with a valid request. */
export function sandboxOutcome(t: TriggerInput): Outcome {
  if (t.invalidNumber || t.number === INVALID_ACCOUNT_CARD) {
    return { kind: 'decline', reason: 'INVALID_ACCOUNT' };
  }
  if (t.expired) return { kind: 'decline', reason: 'EXPIRED_CARD' };
  let outcome = amountTrigger(t.totalMinor, t.currency);
  if (outcome === 'partial') {
    // Half the total is approved; a merchant that turned partials off gets the issuer's decline.
    outcome =
      t.partialAuthIndicator === false
        ? { kind: 'decline', reason: 'INSUFFICIENT_FUND' }
        : { kind: 'partial', authorizedMinor: Math.floor(t.totalMinor / 2) };
  }
  if (!outcome && t.securityCode === CV_FAILED_SECURITY_CODE) {
    outcome = { kind: 'review', reason: 'CV_FAILED' };
  }
  outcome ??= { kind: 'approve' };
  // ignoreAvsResult / ignoreCvResult tell CyberSource not to hold the payment for that check.
  if (outcome.kind === 'review') {
    if (
      (outcome.reason === 'AVS_FAILED' && t.ignoreAvsResult) ||
      (outcome.reason === 'CV_FAILED' && t.ignoreCvResult)
    ) {
      return { kind: 'approve' };
    }
  }
  return outcome;
}
