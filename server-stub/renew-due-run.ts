/**
 * @module Renewing every subscription whose paid period has ended (for a scheduler). One
 * renewal per subscription per run: a subscription several periods behind catches up over
 * several runs rather than charging the shopper many times at once. Past-due ones are retried.
 */
import { renewSubscription } from './checkout/renew.ts';
import { StubError } from './errors.ts';
import { listDueSubscriptions } from './store/subscriptions.ts';
import type { Stub } from './stub.ts';

export interface RenewDueReport {
  renewed: string[];
  declined: string[];
  failed: { id: string; code: string }[];
}

export async function renewDue(
  stub: Pick<Stub, 'checkout'>,
  options: { limit?: number } = {},
): Promise<RenewDueReport> {
  const ctx = stub.checkout;
  const due = await listDueSubscriptions(ctx.db, ctx.now(), options.limit ?? 500);
  const report: RenewDueReport = { renewed: [], declined: [], failed: [] };
  for (const sub of due) {
    const expectedPeriod = sub.current_period + 1;
    const requestId = `renew-due-${sub.id}-${expectedPeriod}`;
    try {
      // The period listed, and only while still due: an overlapping run may have renewed it.
      await renewSubscription(ctx, sub.id, requestId, { expectedPeriod, onlyIfDue: true });
      report.renewed.push(sub.id);
    } catch (err) {
      if (err instanceof StubError && err.code === 'card_declined') report.declined.push(sub.id);
      else
        report.failed.push({
          id: sub.id,
          code: err instanceof StubError ? err.code : 'internal_error',
        });
    }
  }
  ctx.logger.info({ due: due.length, ...report }, 'renew-due finished');
  return report;
}
