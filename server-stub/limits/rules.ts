/**
 * @module The card-testing limits as configuration (RELIABILITY-FACTS §4): how many requests or
 * declines a key (IP, shopper, session, card) may have in a window, parsed from `count/window`
 * settings such as `20/10m`, or `off`.
 */
import { z } from 'zod';

/** At most `max` events per `windowMs`. */
export interface Rule {
  max: number;
  windowMs: number;
}

export interface CardTestingLimits {
  /** `RATE_LIMIT_DISABLED=true`: every limit below is off (benchmarks, load tests). */
  disabled: boolean;
  sessionsPerIp: Rule | undefined;
  sessionsPerShopper: Rule | undefined;
  paymentsPerIp: Rule | undefined;
  paymentsPerShopper: Rule | undefined;
  /**
   * Saved-card requests that call TMS (list, make default, remove, a subscription's card
   * change): no money moves, but each is a CyberSource call, and a flood of them from one
   * cookie could have CyberSource throttle the merchant's sales.
   */
  cardsPerIp: Rule | undefined;
  cardsPerShopper: Rule | undefined;
  /** Declined (or still pending) charges per checkout session, for the session's whole life. */
  declinesPerSession: number | undefined;
  /** Per card: instrument identifier for a saved card, else brand + bin (if known) + last 4. */
  declinesPerCard: Rule | undefined;
  declinesPerShopper: Rule | undefined;
  declinesPerIp: Rule | undefined;
}

/** Defaults after Gravity Forms' "5 errors then 1 hour" and OWASP OAT-001 (RELIABILITY-FACTS §4). */
export const DEFAULT_LIMITS = {
  sessionsPerIp: '20/10m',
  sessionsPerShopper: '10/10m',
  paymentsPerIp: '20/10m',
  paymentsPerShopper: '10/10m',
  cardsPerIp: '60/10m',
  cardsPerShopper: '30/10m',
  declinesPerSession: '3',
  declinesPerCard: '5/1h',
  declinesPerShopper: '10/1h',
  declinesPerIp: '10/1h',
} as const;

/** Every limit off; what `RATE_LIMIT_DISABLED=true` yields. */
export const NO_LIMITS: CardTestingLimits = {
  disabled: true,
  sessionsPerIp: undefined,
  sessionsPerShopper: undefined,
  paymentsPerIp: undefined,
  paymentsPerShopper: undefined,
  cardsPerIp: undefined,
  cardsPerShopper: undefined,
  declinesPerSession: undefined,
  declinesPerCard: undefined,
  declinesPerShopper: undefined,
  declinesPerIp: undefined,
};

const RULE = /^(\d{1,6})\/(\d{1,6})(s|m|h)$/;
const COUNT = /^\d{1,6}$/;

function unitMs(unit: string | undefined): number {
  if (unit === 'h') return 3_600_000;
  if (unit === 'm') return 60_000;
  return 1000;
}

/** Parses `20/10m` (count per window in s, m or h) or `off`. */
export function parseRule(text: string): Rule | undefined | Error {
  const t = text.trim().toLowerCase();
  if (t === 'off') return undefined;
  const m = RULE.exec(t);
  const max = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (!m || max < 1 || n < 1) return new Error('must be count/window like 20/10m (s, m, h) or off');
  return { max, windowMs: n * unitMs(m[3]) };
}

/** A `count/window` environment setting with its default. */
export const ruleSetting = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const r = parseRule(text);
      if (r instanceof Error) {
        ctx.addIssue({ code: 'custom', message: r.message });
        return z.NEVER;
      }
      return r;
    });

/** A plain count (`3`) or `off`. */
export const countSetting = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((text, ctx) => {
      const t = text.trim().toLowerCase();
      if (t === 'off') return undefined;
      const n = Number(t);
      if (!COUNT.test(t) || n < 1) {
        ctx.addIssue({ code: 'custom', message: 'must be a positive count or off' });
        return z.NEVER;
      }
      return n;
    });
