/**
 * @module Money on the wire: amounts are decimal strings, currencies ISO 4217 (API-FACTS §2.2).
 *
 * Both sides compare money in integer minor units, never floats. An amount with more decimals
 * than its currency has is refused, not truncated: the real service truncates (SDK docs for
 * `totalAmount`), and truncation would hide a stub that computes amounts wrongly.
 */

/** Active ISO 4217 codes; a fixed list so validation does not depend on the Node ICU build. */
const CODES =
  'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG';

/** ISO 4217 minor-unit exponents other than 2. */
const EXPONENTS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

const KNOWN = new Set(CODES.split(' '));

/** Minor-unit exponent of a currency (case-insensitive, as the samples send `usd`), or undefined. */
export function currencyDecimals(code: string): number | undefined {
  const upper = code.toUpperCase();
  if (!KNOWN.has(upper)) return undefined;
  return EXPONENTS[upper] ?? 2;
}

/** `102.21`, `10`, `0.5`: digits with an optional fraction; at most 12 integer digits (safe integers). */
export const AMOUNT_PATTERN = /^\d{1,12}(\.\d{1,4})?$/;

/** `"102.21"` in USD → 10221; undefined when malformed or more decimals than the currency has. */
export function toMinorUnits(amount: string, currency: string): number | undefined {
  const decimals = currencyDecimals(currency);
  if (decimals === undefined || !AMOUNT_PATTERN.test(amount)) return undefined;
  const [whole = '', fraction = ''] = amount.split('.');
  if (fraction.length > decimals) return undefined;
  return Number(whole) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

/** 10221 in USD → `"102.21"`; 500 in JPY → `"500"`: the currency's own number of decimals. */
export function formatMinorUnits(minor: number, currency: string): string {
  const decimals = currencyDecimals(currency) ?? 2;
  if (decimals === 0) return String(minor);
  const s = String(minor).padStart(decimals + 1, '0');
  return `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}
