/**
 * @module The 15 card networks the widget draws, keyed the way Microform names them: by
 * `card[].cybsCardType` code or `card[].name` (API-FACTS §5.4, §5.6). A tiny table instead of
 * importing `cybersource/networks/`, whose schemas would cost bundle bytes the widget does not need.
 */

// key label background codes… (API-FACTS §5.6). An empty label ("-") means two circles
// (Mastercard, Maestro). The label doubles as the accessible name.
const TABLE =
  'VISA Visa 1a1f71 001|MASTERCARD Mastercard 1d1d1b 002|AMEX Amex 2e77bc 003|DISCOVER Discover b84a14 004|' +
  'DINERSCLUB Diners 0069a8 005|JCB JCB 0b4ea2 007|MAESTRO Maestro 1d1d1b 042 024|CUP UnionPay c1001f 062|' +
  'CARTESBANCAIRES CB 1b5a8e 036|CARNET Carnet 005a9c 056 058|ELO elo 000 054|MADA mada 1a6fa0 060|' +
  'MEEZA meeza 0c7a3e 067|EFTPOS eftpos 1f1f1f 070|JCREW J.Crew 333 046';

export const NETWORKS = TABLE.split('|').map((row) => row.split(' '));

/** The network row `[key, label, colour, ...codes]` for `"001"`, `"visa"`, `"VISA"`, `"American Express"`… */
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
