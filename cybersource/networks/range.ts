/**
 * @module Prefix-range helpers.
 *
 * Matching follows Microform 0.11 (the de-minified iframe script, API-FACTS §5.6): a range is
 * compared with the number's leading digits cut to the range's own width; when fewer digits have
 * been typed, the range's bounds are cut to what was typed instead. So "5" already matches
 * Mastercard's 51–55 and "2" its 2221–2720, which is what lets `couldBeValid` work digit by digit.
 */
import type { NetworkName, PrefixRange, RangeSource } from './types.ts';

/** Builds a range; `high` defaults to `low` (a single prefix). */
export function prefixRange(
  low: string,
  high: string,
  source: RangeSource,
  coBadgedWith?: readonly NetworkName[],
): PrefixRange {
  return coBadgedWith === undefined ? { low, high, source } : { low, high, source, coBadgedWith };
}

/**
 * How many leading digits of `digits` matched `range`, or 0 when it does not match.
 * The count is the comparison width, so a longer range that matches is the more specific one.
 */
export function prefixMatchWidth(range: PrefixRange, digits: string): number {
  const width = Math.min(range.low.length, digits.length);
  if (width === 0) return 0;
  const head = digits.slice(0, width);
  // Equal-length digit strings compare like the numbers they spell.
  return range.low.slice(0, width) <= head && head <= range.high.slice(0, width) ? width : 0;
}
