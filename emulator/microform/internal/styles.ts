/**
 * @module The merchant's `styles` option, applied inside the iframe through an allow-list.
 *
 * Only text-rendering properties are allowed (API-FACTS §5.4, MF011's list): nothing that could
 * move, hide or overlay the input (no `position`, `background-image`, `content`…). Anything else
 * is skipped with a console warning, as the real library does.
 */
import { isRecord, type Json } from '../shared/guards.ts';

const ALLOWED = new Set([
  'color',
  'cursor',
  'font',
  'font-family',
  'font-kerning',
  'font-size',
  'font-size-adjust',
  'font-stretch',
  'font-style',
  'font-variant-alternates',
  'font-variant-caps',
  'font-variant-east-asian',
  'font-variant-ligatures',
  'font-variant-numeric',
  'font-variant',
  'font-weight',
  'line-height',
  'opacity',
  'text-rendering',
  'text-shadow',
  'transition',
  '-moz-osx-font-smoothing',
  '-moz-tap-highlight-color',
  '-moz-transition',
  '-o-transition',
  '-webkit-font-smoothing',
  '-webkit-tap-highlight-color',
  '-webkit-transition',
]);

/** `styles` keys → selectors inside the iframe (MF011). */
const SELECTORS: [string, string][] = [
  ['input', 'input.field'],
  [':disabled', 'input.field:disabled'],
  [':focus', 'input.field:focus'],
  [':hover', 'input.field:hover'],
  ['valid', 'input.field.valid'],
  ['invalid', 'input.field.invalid'],
  ['::placeholder', 'input.field::placeholder'],
];

/** Declarations for one selector; values may not break out of the declaration. */
function declarations(rules: unknown): string {
  if (!isRecord(rules)) return '';
  let css = '';
  for (const [property, value] of Object.entries(rules)) {
    if (!ALLOWED.has(property)) {
      console.warn(`Unsupported css property: '${property}'`);
      continue;
    }
    if ((typeof value !== 'string' && typeof value !== 'number') || /[;{}<>]/.test(String(value))) {
      console.warn(`Unsupported css value for '${property}'`);
      continue;
    }
    css += `${property}:${String(value)};`;
  }
  return css;
}

/** Merges two `styles` objects selector by selector (field styles win over microform styles). */
export function mergeStyles(base: Json, over: Json): Json {
  const merged: Json = { ...base };
  for (const [key, rules] of Object.entries(over)) {
    const before = merged[key];
    merged[key] = isRecord(before) && isRecord(rules) ? { ...before, ...rules } : rules;
  }
  return merged;
}

let sheet: HTMLStyleElement | undefined;

export function applyStyles(styles: Json): void {
  sheet?.remove();
  sheet = document.createElement('style');
  document.head.appendChild(sheet);
  for (const [key, selector] of SELECTORS) {
    if (styles[key] === undefined) continue;
    const css = declarations(styles[key]);
    if (css) sheet.sheet?.insertRule(`${selector}{${css}}`, sheet.sheet.cssRules.length);
  }
}
