/**
 * @module Non-English messages for `checkout.js`: `checkout.<lang>.js` beside it, loaded once
 * with the SRI hash the build baked in (`__LOCALE_SRI__`, vite.config.ts), so every script the
 * widget adds to a payment page is integrity-pinned (PCI DSS 6.4.3, RELIABILITY-FACTS §1.3).
 * A missing, blocked or malformed file means English.
 */
import { isRec, rec } from '../api/guards.ts';
import { addScript } from '../microform/loader.ts';
import { en, type Messages } from './en.ts';

declare const __LOCALE_SRI__: Record<string, string>;
declare global {
  interface Window {
    /** Filled by `checkout.<lang>.js`; `unknown` until checked. */
    CyberCheckoutLocales?: unknown;
  }
}

// Read while checkout.js itself runs: later, currentScript is someone else's or null.
const base = (document.currentScript as HTMLScriptElement | null)?.src ?? '';
const loads: Record<string, Promise<Messages | undefined>> = {};

const isMessages = (v: unknown): v is Messages =>
  isRec(v) && Object.keys(en).every((k) => typeof v[k] === 'string');

export function loadMessages(lang: string): Promise<Messages | undefined> {
  const integrity = __LOCALE_SRI__[lang];
  // A missing or blocked file (load or error) is checked the same way: English unless valid.
  loads[lang] ??= (
    integrity && base
      ? addScript(new URL(`checkout.${lang}.js`, base).href, integrity)
      : Promise.resolve()
  ).then(() => {
    const dict = rec(window.CyberCheckoutLocales, lang);
    return isMessages(dict) ? dict : undefined;
  });
  return loads[lang];
}
