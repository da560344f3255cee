/**
 * @module CyberSource card type codes (API-FACTS §5.6) → the brand names the stub shows, from
 * the one network table in `cybersource/networks/` (all 15 seed networks and their alternate codes).
 */
import { NETWORKS, networkByCardType } from '../../cybersource/networks/index.ts';

export function brandOf(cardType: string | undefined): string {
  return (cardType && networkByCardType(cardType)?.microformName) || 'unknown';
}

/** The card type code for a brand name this module gave (`visa` → `001`), if it is one. */
export function cardTypeOf(brand: string): string | undefined {
  return Object.values(NETWORKS).find((n) => n.microformName === brand)?.cybsCardType;
}

/** Last four digits of a masked number such as `XXXXXXXXXXXX1111` or `411111XXXXXX1111`. */
export function last4Of(masked: string | undefined): string {
  const m = masked ? /(\d{4})$/.exec(masked) : null;
  return m?.[1] ?? '????';
}
