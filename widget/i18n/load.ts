/**
 * @module Non-English messages for the ES module build and tests: dynamic imports that bundlers
 * split into their own chunks. The script-tag build swaps this module for `load-script.ts`
 * (vite.config.ts), so English-only pages never download the other three languages.
 */
import type { Messages } from './en.ts';

export function loadMessages(lang: string): Promise<Messages | undefined> {
  if (lang === 'fr') return import('./fr.ts').then((m) => m.fr);
  if (lang === 'es') return import('./es.ts').then((m) => m.es);
  if (lang === 'de') return import('./de.ts').then((m) => m.de);
  return Promise.resolve(undefined);
}
