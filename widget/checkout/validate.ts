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

export const isEmail = (v: string): boolean => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v);

/** A decimal amount typed by the shopper ("12", "12.5", "12,50") in minor units (2 digits: USD, CAD, EUR). */
export const parseAmount = (raw: string): number | undefined =>
  /^\d{1,9}([.,]\d\d?)?$/.test(raw) ? Math.round(Number(raw.replace(',', '.')) * 100) : undefined;
