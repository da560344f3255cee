/**
 * @module Bounded exponential backoff with jitter for the few calls that are safe to retry
 * (RELIABILITY-FACTS §5: stripe-node and lithic cap at a few seconds and jitter down).
 */

export const MAX_RETRIES = 2;

/** Delay before retry number `attempt` (1-based): min(200 ms × 2^(n−1), 2 s) × [0.5, 1]. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(200 * 2 ** (attempt - 1), 2000);
  return Math.round(base * (0.5 + random() / 2));
}
