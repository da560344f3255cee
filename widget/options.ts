/**
 * @module The public options of `CyberCheckout.mount` and their parser. Script-tag `data-*`
 * values go through the same parser, so a bad value is reported under the name the merchant wrote.
 */
import { isRec } from './api/guards.ts';
import type { CatalogItem, PaymentMethod, PaymentResult } from './api/types.ts';

export type Theme = 'light' | 'dark' | 'auto';

export interface ReadyDetail {
  item: CatalogItem;
  savedCards: number;
  testMode: boolean;
}

/**
 * Never card data: which method is chosen, whether the form is complete, the detected networks,
 * and the saved cards as listed now (a removal or a new default fires a change too).
 */
export interface ChangeDetail {
  paymentMethod: 'new' | 'saved';
  complete: boolean;
  brands: string[];
  savedCards: PaymentMethod[];
}

export interface ErrorDetail {
  /** `card_declined`, `payment_outcome_unknown`, `rate_limited`, `load_failed`, `library_refused`, `microform_error`, `config_error`, or the stub's error code. */
  code: string;
  /** CyberSource's decline reason, or the MicroformError reason. */
  reason?: string;
  message: string;
}

export interface CheckoutOptions {
  /** Origin (and optional base path) of the merchant's server stub, e.g. `https://shop.example`. */
  endpoint: string;
  /** Catalog item id (product or plan). */
  item: string;
  /** Minor units, for custom-amount items; the stub checks it against the item's bounds. */
  amount?: number | undefined;
  /** BCP 47 tag; defaults to `<html lang>`, followed when the page changes it. */
  locale?: string | undefined;
  theme?: Theme | undefined;
  /** Initial state of "save this card" for one-time items (plans always save). */
  saveCard?: boolean | undefined;
  /** CSP nonce for the `<style>` element the widget injects. */
  nonce?: string | undefined;
  onReady?: ((detail: ReadyDetail) => void) | undefined;
  onChange?: ((detail: ChangeDetail) => void) | undefined;
  onSuccess?: ((detail: PaymentResult) => void) | undefined;
  onError?: ((detail: ErrorDetail) => void) | undefined;
}

export type Parsed =
  | { ok: true; options: CheckoutOptions }
  | { ok: false; name: string; message: string };

const test = (re: RegExp) => (v: unknown) => typeof v === 'string' && re.test(v);
const is = (type: string) => (v: unknown) => typeof v === type;

/**
 * [option, check, what it must be]; endpoint and item are required. The endpoint is https, or
 * plain http for localhost only: the shopper cookie must not travel in clear.
 */
const RULES: [string, (v: unknown) => boolean, string][] = [
  [
    'endpoint',
    // An origin and an optional base path: a query or fragment would end up inside every path.
    test(/^(https:\/\/[^/?#@]+|http:\/\/(localhost|127\.0\.0\.1)(:\d+)?)(\/[^?#]*)?$/),
    'an https:// URL',
  ],
  ['item', test(/./), 'a catalog item id'],
  [
    'amount',
    (v) => Number.isSafeInteger(v) && (v as number) > 0,
    'a positive whole number of minor units',
  ],
  ['locale', test(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i), 'a language tag (fr-CA)'],
  ['theme', test(/^(light|dark|auto)$/), 'light, dark or auto'],
  ['saveCard', is('boolean'), 'true or false'],
  ['nonce', test(/./), 'a CSP nonce'],
  ...['onReady', 'onChange', 'onSuccess', 'onError'].map(
    (k): [string, (v: unknown) => boolean, string] => [k, is('function'), 'a function'],
  ),
];

/** Checks raw options; `names` maps an option to what the merchant wrote (`item` → `data-item`). */
export function parseOptions(raw: unknown, names: (key: string) => string = (k) => k): Parsed {
  const r = isRec(raw) ? { ...raw } : {};
  // `fr_CA`, as servers often write it, is the tag `fr-CA`.
  if (typeof r.locale === 'string') r.locale = r.locale.replace(/_/g, '-');
  const options: Record<string, unknown> = {};
  for (const [key, check, what] of RULES) {
    const v = r[key];
    if (v === undefined ? key === 'endpoint' || key === 'item' : !check(v))
      return {
        ok: false,
        name: names(key),
        message: v === undefined ? 'is required' : `must be ${what}`,
      };
    options[key] = key === 'endpoint' ? (v as string).replace(/\/+$/, '') : v;
  }
  // Only allow-listed keys, each checked by its rule above: exactly the CheckoutOptions contract.
  return { ok: true, options: options as unknown as CheckoutOptions };
}
