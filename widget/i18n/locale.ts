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
      dict[key].replace(/\{(\w+)\}/g, (m, name: string) => `${params?.[name] ?? m}`),
    // USD, CAD and EUR, the only currencies accepted, all have 2 decimals.
    money: (minor, currency) =>
      new Intl.NumberFormat(tag, { style: 'currency', currency }).format(minor / 100),
  };
}

const canonical = (tag?: string) => {
  try {
    return Intl.getCanonicalLocales(tag)[0];
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
