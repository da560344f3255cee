/**
 * @module Masking card numbers in text that echoes what a client sent (validation messages that
 * name an unknown key, request paths in the access log): whatever a client pastes where it does
 * not belong, a card number never reaches an error body or a log line (DESIGN.md "Principles").
 */

/**
 * 13–19 digits, optionally grouped by single separators (space, dash, dot, underscore, plus: how
 * people and form encodings group them), not inside a longer digit run.
 */
const CARD_NUMBER = /(?<![0-9])[0-9](?:[ ._+-]?[0-9]){12,18}(?![0-9])/g;

/** Every card-number-shaped digit run, digits but the last four starred. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_NUMBER, (run) => {
    const digits = run.replace(/[^0-9]/g, '');
    return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  });
}

/**
 * A request path for the log: percent-decoded first (`encodeURIComponent` writes a grouped number
 * as `4111%201111…`, which no digit pattern sees), then masked. A path that does not decode is
 * masked as it came, with its `%20`-style separators read as spaces.
 */
export function loggablePath(pathname: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = pathname.replace(/%20/gi, ' ');
  }
  return maskCardNumbers(decoded);
}
