/**
 * @module Renewing every subscription that is due (for a scheduler): the paid period has ended
 * and the retry schedule allows an attempt now (server-stub/README.md "Renewal retries"). One
 * renewal per subscription per run: a subscription several periods behind catches up over
 * several runs rather than charging the shopper many times at once. A declined one comes back
 * when its next attempt is due, never on every run.
 */
import type { CheckoutContext } from './checkout/context.ts';
import { renewSubscription } from './checkout/renew.ts';
import { StubError } from './errors.ts';
import { listDueSubscriptions } from './store/subscriptions.ts';
import type { Stub } from './stub.ts';

export interface RenewDueReport {
  renewed: string[];
  declined: string[];
  /** Held for review or outcome unknown: the reconciler finishes them (not a failure of the run). */
  held: string[];
  /**
   * Left to an overlapping run (another process, or a scheduler's retry beside a slow run): its
   * charge is in flight, or it renewed the period already, or the subscription stopped being due
   * meanwhile. Not a failure: exactly one run charges each period.
   */
  skipped: { id: string; code: string }[];
  /** `reason`: the gateway's refusal under a `payment_canceled` (e.g. `gateway_throttled`). */
  failed: { id: string; code: string; reason?: string }[];
  /**
   * Due but not attempted: the process began stopping (SIGTERM) during the run, which then
   * finished the renewal in flight and started no other, or the run halted (`halted`). Still
   * due: the next run renews them.
   */
  notStarted: string[];
  /**
   * More subscriptions were due than the run's `limit` took: they wait for the next run, which a
   * scheduler may start at once rather than at its next slot.
   */
  more: boolean;
  /**
   * Set when the run stopped itself: `cybersource_unanswered`, that many renewals in a row had no
   * answer (a timeout, a 5xx) and the rest were not started (`notStarted`): each would be one
   * more payment of unknown outcome for the reconciler, and a run of 500 at the 30 s timeout
   * would last four hours. `cybersource_throttled`, CyberSource refused that many in a row
   * with a 429, after a pause before each next one (`THROTTLE_PAUSES_MS`): going on down the
   * list would send hundreds more sales into a limit that asks for fewer. A failure of the run
   * (exit 1).
   */
  halted?: 'cybersource_unanswered' | 'cybersource_throttled';
}

/** Renewals in a row whose outcome is unknown before a run stops (`halted`). */
export const UNANSWERED_IN_A_ROW = 3;
/**
 * The pause after the 1st and 2nd throttled renewal in a row before the next is sent; the
 * 3rd stops the run. A 429 refused the sale before processing it (nothing charged, the
 * subscription still due, no retry counted: `renew.ts`). CyberSource documents no
 * `Retry-After` for its REST API [Decision: RELIABILITY-FACTS has none; a limit counted per
 * second clears within these pauses, and one that does not is left to the next run].
 */
export const THROTTLE_PAUSES_MS = [1_000, 5_000] as const;

const HELD = new Set(['payment_under_review', 'payment_outcome_unknown']);
/** Refusals that are CyberSource's own answer (a renewal that went through resets the count too). */
const ANSWERED = new Set([
  'card_declined',
  'payment_under_review',
  'gateway_invalid_request',
  'gateway_conflict',
  'gateway_throttled',
]);
const OVERLAP = new Set([
  'renewal_in_progress',
  'renewal_period_mismatch',
  'subscription_not_renewable',
]);

export async function renewDue(
  stub: Pick<Stub, 'checkout'>,
  /** `stop`: once aborted, no further renewal starts (the one in flight finishes). */
  options: { limit?: number; stop?: AbortSignal } = {},
): Promise<RenewDueReport> {
  const ctx = stub.checkout;
  const { stop } = options;
  const limit = options.limit ?? 500;
  // One more than the run takes: whether any is left over.
  const listed = await listDueSubscriptions(ctx.db, ctx.now(), limit + 1);
  const due = listed.slice(0, limit);
  const report: RenewDueReport = {
    renewed: [],
    declined: [],
    held: [],
    skipped: [],
    failed: [],
    notStarted: [],
    more: listed.length > limit,
  };
  let unanswered = 0;
  let throttled = 0;
  for (const [i, sub] of due.entries()) {
    const halting = unanswered >= UNANSWERED_IN_A_ROW || throttled > THROTTLE_PAUSES_MS.length;
    // Between renewals, never inside one: a charge cut off mid-call is an unknown outcome.
    if (stop?.aborted || halting) {
      report.notStarted.push(sub.id);
      continue;
    }
    const expectedPeriod = sub.current_period + 1;
    const requestId = `renew-due-${sub.id}-${expectedPeriod}-${sub.renewal_attempts + 1}`;
    try {
      // The period listed, and only while still due: an overlapping run may have renewed it.
      await renewSubscription(ctx, sub.id, requestId, { expectedPeriod, onlyIfDue: true });
      report.renewed.push(sub.id);
      unanswered = 0;
      throttled = 0;
    } catch (err) {
      const code = err instanceof StubError ? err.code : 'internal_error';
      // Unknown outcomes count; only an answer from CyberSource starts the row again. A skip
      // called nothing: two overlapping runs alternate charge and skip down one list, and
      // reset by skips, neither would ever halt while the gateway hangs.
      // A sale CyberSource refused (throttled, conflicting) is recorded "not charged", 402
      // `payment_canceled`, with the gateway's code as its reason: an answer all the same.
      const reason = code === 'payment_canceled' ? (err as StubError).reason : undefined;
      const answer = reason ?? code;
      if (code === 'payment_outcome_unknown') unanswered++;
      else if (ANSWERED.has(answer)) unanswered = 0;
      // Only a sale refused for the limit counts; any other answer (or none) ends the row.
      if (answer === 'gateway_throttled') throttled++;
      else if (!OVERLAP.has(code)) throttled = 0;
      if (code === 'card_declined') report.declined.push(sub.id);
      else if (HELD.has(code)) report.held.push(sub.id);
      else if (OVERLAP.has(code)) report.skipped.push({ id: sub.id, code });
      else report.failed.push({ id: sub.id, code, ...(reason ? { reason } : {}) });
      // Right after the refusal, once: paused before the next renewal instead, a run would
      // pause again before each one an overlapping run left it to skip, which sends nothing.
      const pause = answer === 'gateway_throttled' ? THROTTLE_PAUSES_MS[throttled - 1] : undefined;
      if (pause !== undefined && i < due.length - 1) await pauseUnlessStopped(ctx, pause, stop);
    }
  }
  if (throttled > THROTTLE_PAUSES_MS.length && report.notStarted.length > 0) {
    report.halted = 'cybersource_throttled';
    ctx.logger.error(
      { notStarted: report.notStarted.length, inARow: throttled },
      'renew-due stopped: CyberSource refused the last renewals as too many requests (429), pausing between them; nothing was charged for those, and the rest is still due, for the next run',
    );
  } else if (unanswered >= UNANSWERED_IN_A_ROW && report.notStarted.length > 0) {
    report.halted = 'cybersource_unanswered';
    ctx.logger.error(
      { notStarted: report.notStarted.length, inARow: unanswered },
      'renew-due stopped: CyberSource answered none of the last renewals (timeouts or 5xx); the rest is still due, for the next run; the reconciler settles the unanswered ones',
    );
  } else if (report.notStarted.length > 0)
    ctx.logger.warn(
      { notStarted: report.notStarted.length },
      'renew-due stopped early (the process is stopping): the rest is still due, for the next run',
    );
  ctx.logger.info({ due: due.length, ...report }, 'renew-due finished');
  return report;
}

/** Waits `ms` (the stub's injected sleep), or less when `stop` is aborted meanwhile. */
async function pauseUnlessStopped(
  ctx: CheckoutContext,
  ms: number,
  stop: AbortSignal | undefined,
): Promise<void> {
  if (!stop) return ctx.sleep(ms);
  if (stop.aborted) return;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    onAbort = resolve;
    stop.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([ctx.sleep(ms), stopped]);
  } finally {
    if (onAbort) stop.removeEventListener('abort', onAbort);
  }
}
