/**
 * The renewal retry schedule's constants (server-stub/checkout/renewal-retries.ts) as
 * server-stub/README.md "Renewal retries" states them: a merchant reads the README to know which
 * declines are never retried, so the code may not drift from it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  HARD_DECLINES,
  MAX_RENEWAL_ATTEMPTS,
  RETRY_DELAYS_SECONDS,
} from '../../server-stub/checkout/renewal-retries.ts';

const README = readFileSync(new URL('../../server-stub/README.md', import.meta.url), 'utf8');

/** The reasons the README's "**Hard declines**" paragraph names in backticks. */
function readmeHardDeclines(): string[] {
  const start = README.indexOf('**Hard declines**');
  const end = README.indexOf('Retrying any of them', start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return [...README.slice(start, end).matchAll(/`([A-Z_]+)`/g)].map((m) => m[1] ?? '');
}

describe('renewal retries as the README states them', () => {
  it('never retries exactly the hard declines the README lists', () => {
    // The README names "the four `…_WATCHLIST_MATCH` reasons" without spelling them out.
    const watchlist = [
      'CUSTOMER_WATCHLIST_MATCH',
      'ADDRESS_COUNTRY_WATCHLIST_MATCH',
      'EMAIL_COUNTRY_WATCHLIST_MATCH',
      'IP_COUNTRY_WATCHLIST_MATCH',
    ];
    const listed = readmeHardDeclines();
    expect([...HARD_DECLINES].sort()).toEqual([...listed, ...watchlist].sort());
  });

  it('tries a period 4 times: at its end, then 1, 3 and 7 days after the first failure', () => {
    expect(MAX_RENEWAL_ATTEMPTS).toBe(4);
    expect(RETRY_DELAYS_SECONDS).toEqual([1, 2, 4].map((days) => days * 86_400));
  });
});
