/**
 * @module Merchant endpoints, behind `Authorization: Bearer <ADMIN_TOKEN>`: payments and
 * subscriptions for a merchant panel, refunds, renewals (one, or every due one for a scheduler),
 * cancellations.
 */
import { Hono } from 'hono';
import { cancelRenewals } from '../../checkout/cancel.ts';
import type { CheckoutContext } from '../../checkout/context.ts';
import { refund } from '../../checkout/refund.ts';
import { renewSubscription } from '../../checkout/renew.ts';
import { resumeRenewals } from '../../checkout/resume.ts';
import { errorSummary } from '../../checkout/sessions.ts';
import {
  adminPaymentView,
  adminSubscriptionView,
  canceledView,
  refundView,
} from '../../checkout/views.ts';
import { stubError } from '../../errors.ts';
import { renewDue } from '../../renew-due-run.ts';
import { withoutHeldKey } from '../../store/idempotency.ts';
import { findPayment, findUnresolvedRenewals, listPayments } from '../../store/payments.ts';
import { listRefunds, unresolvedRefundAmounts } from '../../store/refunds.ts';
import type { SubscriptionRow } from '../../store/rows.ts';
import { findSubscription, listSubscriptions } from '../../store/subscriptions.ts';
import { readBody, readParam, readQuery } from '../body.ts';
import type { StubEnv } from '../env.ts';
import { type IdempotencyDeps, idempotent } from '../idempotency.ts';
import {
  AdminListQuery,
  AdminSubscriptionsQuery,
  CancelBody,
  NoQuery,
  PathId,
  RefundBody,
  RenewalBody,
  RenewDueBody,
  ResumeBody,
} from '../schemas.ts';

/** `stop`: aborted when the stub starts draining (`http/drain.ts`); ends a renew-due run early. */
export function adminRoutes(
  ctx: CheckoutContext,
  idem: IdempotencyDeps,
  stop: AbortSignal,
): Hono<StubEnv> {
  /** One subscription as the panel shows it, with its renewal in flight if any. */
  const panelView = async (sub: SubscriptionRow) =>
    adminSubscriptionView(sub, (await findUnresolvedRenewals(ctx.db, [sub.id])).get(sub.id));
  const app = new Hono<StubEnv>();

  app.get('/payments', async (c) => {
    const { startingAfter, ...q } = readQuery(c, AdminListQuery);
    const after = await cursorAt(
      startingAfter,
      (id) => findPayment(ctx.db, id),
      'payment_not_found',
    );
    const rows = await listPayments(ctx.db, { ...q, ...after });
    const unresolved = await unresolvedRefundAmounts(
      ctx.db,
      rows.map((r) => r.id),
    );
    return c.json({
      payments: rows.map((r) => ({
        ...adminPaymentView(r),
        // Of refundedAmount, what is still being confirmed (its answer was lost): the merchant
        // must not read it as returned yet (the reconciler may find it never happened).
        unresolvedRefundAmount: unresolved.get(r.id) ?? 0,
      })),
      nextCursor: nextCursor(rows, q.limit),
    });
  });

  app.get('/payments/:id', async (c) => {
    readQuery(c, NoQuery);
    const payment = await findPayment(ctx.db, readParam(c, 'id', PathId));
    if (!payment) throw stubError('payment_not_found');
    const refunds = await listRefunds(ctx.db, payment.id);
    const unresolved = await unresolvedRefundAmounts(ctx.db, [payment.id]);
    return c.json({
      // The list's shape: one payment reads the same wherever the panel meets it.
      payment: {
        ...adminPaymentView(payment),
        unresolvedRefundAmount: unresolved.get(payment.id) ?? 0,
      },
      refunds: refunds.map((r) => refundView(r, payment.currency)),
    });
  });

  app.post('/payments/:id/refunds', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, RefundBody, { emptyAllowed: true });
    return idempotent(c, idem, 'admin', body, c.get('log'), async () => ({
      status: 201,
      body: await refund(ctx, id, body.amount, c.get('requestId')),
    }));
  });

  app.get('/subscriptions', async (c) => {
    const { startingAfter, ...q } = readQuery(c, AdminSubscriptionsQuery);
    const after = await cursorAt(
      startingAfter,
      (id) => findSubscription(ctx.db, id),
      'subscription_not_found',
    );
    const rows = await listSubscriptions(ctx.db, { ...q, ...after });
    const inFlight = await findUnresolvedRenewals(
      ctx.db,
      rows.map((s) => s.id),
    );
    return c.json({
      subscriptions: rows.map((s) => adminSubscriptionView(s, inFlight.get(s.id))),
      nextCursor: nextCursor(rows, q.limit),
    });
  });

  app.get('/subscriptions/:id', async (c) => {
    readQuery(c, NoQuery);
    const sub = await findSubscription(ctx.db, readParam(c, 'id', PathId));
    if (!sub) throw stubError('subscription_not_found');
    return c.json({ subscription: await panelView(sub) });
  });

  app.post('/subscriptions/:id/renewals', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, RenewalBody);
    return idempotent(c, idem, 'admin', body, c.get('log'), async () => {
      const renewed = await renewSubscription(ctx, id, c.get('requestId'), {
        expectedPeriod: body.period,
        lastFailureSeen: body.lastFailurePaymentId,
      });
      return { status: 201, body: await adminRenewalView(ctx, id, renewed) };
    });
  });

  // What `npm run renew-due` does, inside the server: the way to schedule renewals on the
  // embedded database, which only the server's process may open (store/data-dir-lock.ts).
  // One run at a time here: a scheduler retrying a long run with a new key must not start a
  // second one beside it. Outside the request's key: the run's many renewals are not "the
  // payment" of that key (store/idempotency.ts `withoutHeldKey`).
  let running = false;
  app.post('/renew-due', async (c) => {
    readQuery(c, NoQuery);
    const body = await readBody(c, RenewDueBody, { emptyAllowed: true });
    return idempotent(c, idem, 'admin', body, c.get('log'), async () => {
      if (running) {
        const busy = stubError('renew_due_in_progress');
        return { status: busy.status, body: busy.toBody(), unstarted: true };
      }
      running = true;
      try {
        const options = { stop, ...(body.limit === undefined ? {} : { limit: body.limit }) };
        const report = await withoutHeldKey(() => renewDue({ checkout: ctx }, options));
        return { status: 200, body: report };
      } finally {
        running = false;
      }
    });
  });

  app.post('/subscriptions/:id/cancel', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, CancelBody, { emptyAllowed: true });
    return idempotent(c, idem, 'admin', body, c.get('log'), async () => ({
      status: 200,
      body: await cancelRenewals(ctx, id, c.get('requestId')).then((done) =>
        canceledView(done, (s) => adminSubscriptionView(s, done.renewalInFlight)),
      ),
    }));
  });

  app.post('/subscriptions/:id/resume', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, ResumeBody, { emptyAllowed: true });
    return idempotent(c, idem, 'admin', body, c.get('log'), async () => {
      const sub = await resumeRenewals(ctx, id, c.get('requestId'));
      return { status: 200, body: { subscription: await panelView(sub) } };
    });
  });

  return app;
}

/** A full page may have more after it: its last id, for `startingAfter`; else null. */
const nextCursor = (rows: readonly { id: string }[], limit: number): string | null =>
  rows.length === limit ? (rows.at(-1)?.id ?? null) : null;

/** Where `startingAfter` (a row's id) puts a list; an id that names no row is `missing`. */
async function cursorAt(
  id: string | undefined,
  find: (id: string) => Promise<{ id: string; created_at: Date } | undefined>,
  missing: 'payment_not_found' | 'subscription_not_found',
): Promise<{ startingAfter?: { createdAt: Date; id: string } }> {
  if (id === undefined) return {};
  const row = await find(id);
  if (!row) throw stubError(missing);
  return { startingAfter: { createdAt: row.created_at, id: row.id } };
}

/**
 * A renewal's answer in the panel's views, as its lists show them (CyberSource id, period, next
 * attempt), read back after it. The card was charged: a read that fails answers with the views
 * the renewal gave, never a 500.
 */
async function adminRenewalView(
  ctx: CheckoutContext,
  subscriptionId: string,
  renewed: Awaited<ReturnType<typeof renewSubscription>>,
) {
  try {
    const [payment, sub] = await Promise.all([
      findPayment(ctx.db, renewed.payment.id),
      findSubscription(ctx.db, subscriptionId),
    ]);
    if (!payment || !sub) return renewed;
    // Without a subscription the renewal was paid but its period not advanced (renew.ts says
    // so in its log); the row as read would show the old period, as if nothing was renewed.
    return {
      payment: adminPaymentView(payment),
      ...(renewed.subscription ? { subscription: adminSubscriptionView(sub) } : {}),
    };
  } catch (err) {
    ctx.logger.warn(
      { subscriptionId, paymentId: renewed.payment.id, err: errorSummary(err) },
      "renewal answered with the shopper's views: its rows could not be read back",
    );
    return renewed;
  }
}
