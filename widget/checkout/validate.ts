/** @module The widget's own field checks (the card number and security code are Microform's). */
import type { MessageKey } from '../i18n/en.ts';

/** `MM/YY`, valid through the last day of that month; the year as Microform wants it (4 digits, API-FACTS §5.4). */
export function checkExpiry(
  value: string,
  now = new Date(),
): { month: string; year: string } | MessageKey {
  const m = /^(0[1-9]|1[0-2])\/?(\d\d)$/.exec(value);
  if (!m?.[1]) return value ? 'expiryInvalid' : 'required';
  const year = 2000 + Number(m[2]);
  return year * 12 + Number(m[1]) <= now.getFullYear() * 12 + now.getMonth()
    ? 'expiryPast'
    : { month: m[1], year: `${year}` };
}

/**
 * Digits only, the slash added once the year starts, so backspace never fights the shopper. A
 * four-digit year (pasted or autofilled "01/2027", typed "01/202…") becomes two digits, and a
 * one-digit month followed by a separator ("1/27") gets its zero.
 */
export const formatExpiry = (raw: string): string => {
  const d = raw
    .replace(/^(\d)\D/, '0$1')
    .replace(/\D/g, '')
    .replace(/^(\d\d)20(\d\d)$/, '$1$2');
  return d.slice(0, /^\d\d20\d$/.test(d) ? 5 : 4).replace(/^(..)(.)/, '$1/$2');
};

/**
 * The stub's rule (zod's `z.email()`, server-stub/http/schemas.ts), so an address the widget
 * lets through is never refused on Pay with nothing to point at: ASCII, no dot first, last or
 * doubled before the @, a dotted domain ending in 2+ letters.
 */
export const isEmail = (v: string): boolean =>
  /^([\w'+-]+\.)*[\w'+-]*[\w+-]@([a-z\d][a-z\d-]*\.)+[a-z]{2,}$/i.test(v);

/**
 * An amount typed by the shopper, read the way `tag` writes numbers ("1,234.56" in en, "1.234,56"
 * and "5.000" in de, "1 234,56" in fr with any space as grouping), in minor units (2 digits: USD,
 * CAD, EUR). Groups are exactly 3 digits and the decimals at most 2, so what the locale would not
 * write ("12.345" in en, "1,500" in es) is refused, never misread. The separators come from 8
 * digits: Spanish groups only from 5. One point or comma before the last one or two digits is
 * read as the decimal mark whatever the locale ("12.50" in fr, "12,5" in en): no locale groups
 * fewer than 3 digits, so that reading is the only one.
 */
export const parseAmount = (raw: string, tag: string): number | undefined => {
  // "12,345,678.5": the group is the 6th character from the end, the decimal the 2nd.
  const s = (12345678.5).toLocaleString(tag);
  const one = /^\d+([.,])\d\d?$/.exec(raw)?.[1];
  const d = one ?? s.at(-2);
  return one || RegExp(`^\\d{1,3}([\\s${s.at(-6)}]?\\d{3})*([${d}]\\d\\d?)?$`).test(raw)
    ? Math.round(Number(raw.replace(/\D/g, (c) => (c === d ? '.' : ''))) * 100)
    : undefined;
};
