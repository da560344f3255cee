/**
 * @module Server-side validation of the card data inside a tokens request (API-FACTS §5.4,
 * §5.6): what `POST /flex/v2/tokens` checks before it mints a transient token.
 *
 * The number is judged exactly as the Microform number field judges it (`assessCardNumber`,
 * restricted to the capture context's networks), so a card the iframe calls valid is accepted
 * here and vice versa. Locations use the `captureData.*` names the iframe maps to
 * `CREATE_TOKEN_VALIDATION_SERVERSIDE` details (API-FACTS §5.4).
 */
import type {
  CaptureData,
  TokensErrorDetail,
} from '../../cybersource/microform-sessions/tokens.ts';
import { assessCardNumber, detectNetworks } from '../../cybersource/networks/detect.ts';
import { luhnValid } from '../../cybersource/networks/luhn.ts';
import { networkByCardType } from '../../cybersource/networks/networks.ts';
import { isSecurityCodeValid } from '../../cybersource/networks/security-code.ts';
import {
  type CardNetwork,
  NETWORK_NAMES,
  type NetworkName,
} from '../../cybersource/networks/types.ts';
import type { TransientCard } from './store.ts';

/** The formats the Microform script itself enforces on createToken options (MF011, §5.4). */
const MONTH = /^(0[1-9]|1[0-2])$/;
const YEAR = /^(20[1-9][0-9])$/;
const CARD_TYPE = /^\d{3}$/;

export type CardValidation =
  | { ok: true; card: TransientCard; networks: CardNetwork[] }
  | { ok: false; details: TokensErrorDetail[] };

function isNetworkName(name: string): name is NetworkName {
  return (NETWORK_NAMES as readonly string[]).includes(name);
}

/** The networks this emulator can detect among the context's `allowedCardNetworks`. */
export function emulatedNetworks(allowedCardNetworks: readonly string[]): NetworkName[] {
  return allowedCardNetworks.filter(isNetworkName);
}

function numberProblem(number: string, allowed: readonly NetworkName[]): string | undefined {
  // Stricter than a forgiving parser: the iframe sends digits only, never a formatted value.
  if (!/^\d{12,19}$/.test(number)) return 'Card number must be 12 to 19 digits';
  const assessment = assessCardNumber(number, allowed);
  if (assessment.networks.length === 0) {
    return detectNetworks(number).length > 0
      ? "Card network is not in this capture context's allowedCardNetworks"
      : 'Card number does not belong to a supported card network';
  }
  if (assessment.valid) return undefined;
  return luhnValid(number)
    ? 'Card number length is invalid for its card network'
    : 'Card number is invalid';
}

/** Whether month/year (already well-formed) lies before the emulator's current month, UTC. */
function isPast(month: string, year: string, now: Date): boolean {
  const value = Number(year) * 12 + Number(month) - 1;
  return value < now.getUTCFullYear() * 12 + now.getUTCMonth();
}

export function validateCaptureData(
  data: CaptureData,
  allowedCardNetworks: readonly string[],
  now: Date,
): CardValidation {
  const allowed = emulatedNetworks(allowedCardNetworks);
  const details: TokensErrorDetail[] = [];
  const fail = (field: string, message: string) =>
    details.push({ location: `captureData.${field}`, message });

  const numberIssue = numberProblem(data.number, allowed);
  if (numberIssue) fail('number', numberIssue);
  let networks = numberIssue ? [] : assessCardNumber(data.number, allowed).networks;

  if (data.type !== undefined) {
    const chosen = CARD_TYPE.test(data.type) ? networkByCardType(data.type) : undefined;
    if (!chosen) fail('type', 'Card type is not a valid CyberSource card type');
    else if (networks.length > 0 && !networks.includes(chosen)) {
      fail('type', 'Card type does not match the card number');
    } else if (chosen) {
      // The shopper's brand choice on a co-badged card comes first (API-FACTS §5.4 `type`).
      networks = [chosen, ...networks.filter((n) => n !== chosen)];
    }
  }

  // An empty security code must be left out, not sent as "": the field was not captured.
  if (data.securityCode !== undefined && !isSecurityCodeValid(data.securityCode, networks)) {
    fail('securityCode', 'Security code is invalid for the card network');
  }

  const { expirationMonth: month, expirationYear: year } = data;
  if (month === undefined) fail('expirationMonth', 'Expiration month is required');
  else if (!MONTH.test(month)) fail('expirationMonth', 'Expiration month must be MM, 01 to 12');
  if (year === undefined) fail('expirationYear', 'Expiration year is required');
  else if (!YEAR.test(year)) fail('expirationYear', 'Expiration year must be YYYY');
  if (
    month !== undefined &&
    year !== undefined &&
    MONTH.test(month) &&
    YEAR.test(year) &&
    isPast(month, year, now)
  ) {
    const field = Number(year) < now.getUTCFullYear() ? 'expirationYear' : 'expirationMonth';
    fail(field, 'Card is expired');
  }

  if (details.length > 0 || month === undefined || year === undefined)
    return { ok: false, details };
  return {
    ok: true,
    networks,
    card: {
      number: data.number,
      ...(data.securityCode === undefined ? {} : { securityCode: data.securityCode }),
      expirationMonth: month,
      expirationYear: year,
      types: networks.map((n) => n.cybsCardType),
    },
  };
}
