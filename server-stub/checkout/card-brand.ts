/**
 * @module CyberSource card type codes (API-FACTS §5.6) → the brand names the stub shows.
 */
import {
  AMEX,
  CUP,
  DINERSCLUB,
  DISCOVER,
  JCB,
  MAESTRO,
  MASTERCARD,
  VISA,
} from '../../cybersource/networks/mf011-networks.ts';

const BRANDS = new Map<string, string>(
  [VISA, MASTERCARD, AMEX, DISCOVER, JCB, DINERSCLUB, MAESTRO, CUP].flatMap((n) =>
    [n.cybsCardType, ...n.alternateCardTypes].map((code): [string, string] => [
      code,
      n.microformName,
    ]),
  ),
);

export function brandOf(cardType: string | undefined): string {
  return (cardType && BRANDS.get(cardType)) || 'unknown';
}

/** Last four digits of a masked number such as `XXXXXXXXXXXX1111` or `411111XXXXXX1111`. */
export function last4Of(masked: string | undefined): string {
  const m = masked ? /(\d{4})$/.exec(masked) : null;
  return m?.[1] ?? '????';
}
