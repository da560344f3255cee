/**
 * @module What the emulated processor checks on a card before the trigger table: which networks
 * the number belongs to, Luhn, the requested `card.type`, and expiry.
 */
import { luhnValid } from '../../cybersource/networks/luhn.ts';
import { NETWORKS } from '../../cybersource/networks/networks.ts';
import { prefixMatchWidth } from '../../cybersource/networks/range.ts';

/** Card-type codes of every network whose ranges and lengths fit the full number, most specific first. */
export function cardTypesOf(number: string): string[] {
  const hits: { codes: string[]; width: number }[] = [];
  for (const n of Object.values(NETWORKS)) {
    if (!n.lengths.includes(number.length)) continue;
    const width = Math.max(0, ...n.ranges.map((r) => prefixMatchWidth(r, number)));
    if (width > 0) hits.push({ codes: [n.cybsCardType, ...n.alternateCardTypes], width });
  }
  return hits.sort((a, b) => b.width - a.width).flatMap((h) => h.codes);
}

export type CardCheck =
  | { ok: true; type: string; invalidNumber: false }
  /** The processor declines it as INVALID_ACCOUNT (201), as the real sandbox does (API-FACTS §6). */
  | { ok: true; type: string; invalidNumber: true }
  /** `card.type` names a network the number does not belong to: refused with 400 (stricter than real). */
  | { ok: false };

/**
 * A number that fails Luhn or fits no network is a processor decline, not a 400: the real
 * sandbox answers the Luhn-valid but impossible `42423482938483873` with a 201 DECLINED.
 */
export function checkCard(
  number: string,
  requestedType: string | undefined,
  tokenTypes: readonly string[] = [],
): CardCheck {
  const detected = tokenTypes.length ? [...tokenTypes] : cardTypesOf(number);
  const invalid = !luhnValid(number) || detected.length === 0;
  if (requestedType !== undefined && detected.length > 0 && !detected.includes(requestedType)) {
    return { ok: false };
  }
  const type = requestedType ?? detected[0] ?? '001';
  return invalid
    ? { ok: true, type, invalidNumber: true }
    : { ok: true, type, invalidNumber: false };
}

/** A card is valid through the last day of its expiry month (UTC). */
export function isExpired(month: string, year: string, now: Date): boolean {
  // No expiry known ('': an instrument identifier paid with alone, `payment-source.ts`): none past.
  if (!month || !year) return false;
  const firstOfNextMonth = Date.UTC(Number(year), Number(month), 1);
  return now.getTime() >= firstOfNextMonth;
}
