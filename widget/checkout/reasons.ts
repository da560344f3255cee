/**
 * @module Maps CyberSource decline reasons and MicroformError reasons to what the shopper sees.
 * Decline reasons: API-FACTS §6 (Simple Order code → REST reason); Microform: API-FACTS §5.4.
 */
import type { MessageKey } from '../i18n/en.ts';
import type { MicroformErrorInfo } from '../microform/flex-types.ts';

export const declineMessage = (reason: string): MessageKey =>
  reason === 'INSUFFICIENT_FUND'
    ? 'insufficient'
    : reason === 'EXPIRED_CARD'
      ? 'expired'
      : /^(CV_FAILED|CVN_NOT_MATCH|INVALID_CVN)$/.test(reason)
        ? 'cvvDeclined'
        : 'declined';

/**
 * What to do about a Microform error: `expired` (an expired, unknown or used-up capture context:
 * new session, new fields), `network`, `other`, or the invalid fields (from `details[].location`;
 * without details, e.g. NO_FIELDS_LOADED, it is the card number that is missing).
 */
export function tokenProblem({
  reason,
  locations,
}: MicroformErrorInfo): 'expired' | 'network' | 'other' | ('number' | 'cvv' | 'expiry')[] {
  // Not CAPTURE_CONTEXT_INVALID: a context refused as such (e.g. a page outside its
  // targetOrigins) is refused again when renewed.
  if (/^(CREATE_TOKEN_)?CAPTURE_CONTEXT_(EXPIRED|NOT_FOUND|USED_TOO_MANY_TIMES)/.test(reason))
    return 'expired';
  if (/^(CREATE_TOKEN_(TIMEOUT|XHR_ERROR|UNABLE_TO_START)|API_)/.test(reason)) return 'network';
  if (!/^CREATE_TOKEN_(VALIDATION|NO_)/.test(reason)) return 'other';
  const fields: ('number' | 'cvv' | 'expiry')[] = locations.map((l) =>
    /securityCode/.test(l) ? 'cvv' : /expiration/.test(l) ? 'expiry' : 'number',
  );
  return fields.length ? [...new Set(fields)] : ['number'];
}
