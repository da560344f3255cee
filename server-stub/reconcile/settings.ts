/**
 * @module When the reconciler runs (RELIABILITY-FACTS §3.6: "wait 60 seconds" before looking a
 * timed-out payment up or reversing it). Parsed from the environment like the rest of the
 * configuration, with the same one-line-per-variable errors.
 */
import { z } from 'zod';
import { ConfigError } from '../config/env.ts';

export interface ReconcileSettings {
  /** How long a payment or refund stays untouched before it is looked up (default 60 s). */
  afterMs: number;
  /**
   * How long a payment held for review waits between lookups (default 1 h): a person decides a
   * review in the Business Center, in minutes or days, so hourly finds it soon enough without
   * two calls per held payment every pass.
   */
  reviewAfterMs: number;
  /** How often the periodic pass runs; 0 turns the timer off (tests call `runOnce`). */
  intervalMs: number;
  /** Rows per pass, so one pass stays short. */
  batch: number;
  /** `PAYMENT_TIMEOUT_SECONDS`: the client timeout of money calls, when configured. */
  paymentTimeoutMs?: number;
}

export const DEFAULT_RECONCILE: ReconcileSettings = {
  afterMs: 60_000,
  reviewAfterMs: 3_600_000,
  intervalMs: 15_000,
  batch: 50,
};

/**
 * Plain decimal seconds ("60", "0.5"), never what `Number()` also reads: " " and "0x0" are 0,
 * which for the interval turned the reconciler off without a word.
 */
const seconds = (max: number, min = 0) =>
  z
    .string()
    .regex(/^\d{1,9}(\.\d{1,6})?$/, { message: 'must be a number of seconds, like 60 or 0.5' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { message: `must be ≥ ${min}` })
        .max(max, { message: `must be ≤ ${max}` }),
    );

const ReconcileEnv = z.object({
  // At least a second: a payment's row is dated when the request starts, so a lookup "0 s
  // after" could void a sale whose call a slow start is still making.
  RECONCILE_AFTER_SECONDS: seconds(86_400, 1).optional(),
  // 0 turns the timer off; anything else under 0.1 s would round to 0 and turn it off silently.
  RECONCILE_INTERVAL_SECONDS: seconds(3_600)
    .refine((v) => v === 0 || v >= 0.1, { message: 'must be 0 (off) or ≥ 0.1' })
    .optional(),
  RECONCILE_REVIEW_AFTER_SECONDS: seconds(7 * 86_400).optional(),
  PAYMENT_TIMEOUT_SECONDS: seconds(120, 0.05).optional(),
});

/**
 * `RECONCILE_AFTER_SECONDS` (default 60), `RECONCILE_REVIEW_AFTER_SECONDS` (default 3600),
 * `RECONCILE_INTERVAL_SECONDS` (default 15; 0 = off) and `PAYMENT_TIMEOUT_SECONDS` (default 30:
 * how long a payment or refund call may take before its outcome is unknown).
 */
export function reconcileSettingsFromEnv(
  env: Record<string, string | undefined>,
): ReconcileSettings {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in ReconcileEnv.shape && v !== undefined && v !== ''),
  );
  const parsed = ReconcileEnv.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    ...DEFAULT_RECONCILE,
    ...(e.RECONCILE_AFTER_SECONDS === undefined
      ? {}
      : { afterMs: Math.round(e.RECONCILE_AFTER_SECONDS * 1000) }),
    ...(e.RECONCILE_REVIEW_AFTER_SECONDS === undefined
      ? {}
      : { reviewAfterMs: Math.round(e.RECONCILE_REVIEW_AFTER_SECONDS * 1000) }),
    ...(e.RECONCILE_INTERVAL_SECONDS === undefined
      ? {}
      : { intervalMs: Math.round(e.RECONCILE_INTERVAL_SECONDS * 1000) }),
    ...(e.PAYMENT_TIMEOUT_SECONDS === undefined
      ? {}
      : { paymentTimeoutMs: Math.round(e.PAYMENT_TIMEOUT_SECONDS * 1000) }),
  };
}
