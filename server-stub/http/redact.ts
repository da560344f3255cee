/**
 * @module Masking card numbers in text that echoes what a client sent (validation messages that
 * name an unknown key, request paths in the access log): whatever a client pastes where it does
 * not belong, a card number never reaches an error body or a log line (DESIGN.md "Principles").
 */

/** 13–19 digits, optionally grouped by single spaces or dashes, not inside a longer digit run. */
const CARD_NUMBER = /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g;

/** Every card-number-shaped digit run, digits but the last four starred. */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_NUMBER, (run) => {
    const digits = run.replace(/[ -]/g, '');
    return `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
  });
}
