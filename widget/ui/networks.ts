/**
 * @module The 15 card networks the widget draws, keyed the way Microform names them: by
 * `card[].cybsCardType` code or `card[].name` (API-FACTS §5.4, §5.6). A tiny table instead of
 * importing `cybersource/networks/`, whose schemas would cost bundle bytes the widget does not need.
 */

// label[/KEY] background codes… (API-FACTS §5.6). The key is the label in capitals unless given;
// the label doubles as the accessible name; colours are 3-digit hex (white text on each ≥ 4.5:1).
const TABLE =
  'Visa 227 001|Mastercard 222 002|Amex 37b 003|Discover b41 004|Diners/DINERSCLUB 06a 005|' +
  'JCB 15a 007|Maestro 222 042 024|UnionPay/CUP b02 062|CB/CARTESBANCAIRES 258 036|' +
  'Carnet 059 056 058|elo 000 054|mada 279 060|meeza 174 067|eftpos 222 070|J.Crew 333 046';

/** `[key, label, colour, ...codes]` per network. */
export const NETWORKS = TABLE.split('|').map((row) => {
  const [name = '', ...rest] = row.split(' ');
  const [label = '', key = label.toUpperCase().replace(/\W/g, '')] = name.split('/');
  return [key, label, ...rest];
});

/** The network row for `"001"`, `"visa"`, `"VISA"`, `"American Express"`, `"cartes-bancaires"`… */
export function network(brand: string): string[] | undefined {
  const norm = brand
    .toUpperCase()
    .replace(/[^A-Z]/g, '')
    .replace('AMERICANEXPRESS', 'AMEX')
    .replace(/^CHINA/, '');
  return NETWORKS.find(
    (n) => n.slice(3).includes(brand) || n[0] === norm || n[1]?.toUpperCase() === norm,
  );
}

export const brandName = (brand: string): string => network(brand)?.[1] ?? brand;
