/**
 * @module Picks the language and the formatting locale: the `locale` option, else the page's
 * `<html lang>`, else English. Messages follow the language (en, fr, es, de); amounts follow the
 * full tag, so `en-CA` and `fr-CA` get Canadian formats from Intl.
 */
import { en, type MessageKey, type Messages } from './en.ts';
import { loadMessages } from './load.ts';

export interface Locale {
  /** BCP 47 tag used for Intl formatting and the `lang` attribute. */
  tag: string;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  money(minor: number, currency: string): string;
}

export function makeLocale(tag: string, dict: Messages): Locale {
  return {
    tag,
    t: (key, params) =>
      dict[key].replace(/\{(\w+)\}/g, (m, name: string) => String(params?.[name] ?? m)),
    money(minor, currency) {
      const fmt = new Intl.NumberFormat(tag, { style: 'currency', currency });
      // The currency's minor-unit exponent (2 for USD, CAD and EUR), as Intl knows it.
      return fmt.format(minor / 10 ** (fmt.resolvedOptions().maximumFractionDigits ?? 2));
    },
  };
}

const canonical = (tag?: string) => {
  try {
    return tag ? Intl.getCanonicalLocales(tag)[0] : undefined;
  } catch {
    return undefined;
  }
};

export const EN: Locale = makeLocale('en', en);

/** The locale for `requested`; an unsupported language is English throughout, never mixed. */
export async function loadLocale(requested?: string): Promise<Locale> {
  const tag = canonical(requested) ?? canonical(document.documentElement.lang) ?? 'en';
  const lang = tag.split('-')[0] ?? 'en';
  const dict = lang === 'en' ? en : await loadMessages(lang);
  return dict ? makeLocale(tag, dict) : EN;
}
