/**
 * @module Paying (DESIGN.md flow table): a new card from a transient token, or a saved card;
 * a plan item starts a subscription. One `POST /pts/v2/payments` per payment; the pending row
 * is written first.
 */
import type { PaymentRequestInput } from '../../cybersource/payments/index.ts';
import { type Plan, periodEnd, priceItem } from '../config/catalog.ts';
import { createPayment } from '../cybersource/payments.ts';
import { StubError, stubError } from '../errors.ts';
import { newCardKey, savedCardKey } from '../limits/index.ts';
import { currentHeldKey } from '../store/idempotency.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import {
  findPayment,
  finishPayment,
  givePlanStartUp,
  insertPendingPayment,
} from '../store/payments.ts';
import type { PaymentRow, SubscriptionRow } from '../store/rows.ts';
import { findShopper } from '../store/shoppers.ts';
import {
  findPlanStanding,
  findSubscription,
  lockPlanPurchase,
  type PlanStartRefusal,
  startSubscriptionFromPayment,
} from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { forgetCustomerIfGone, refusedCustomer } from './customer-gone.ts';
import { newId, newTransactionId } from './ids.ts';
import { type Approved, settlePayment } from './payment-outcome.ts';
import { type BillTo, newCardPayment, savedCardPayment } from './payment-requests.ts';
import { startFromPaidPayment } from './plan-start.ts';
import { type CardFacts, dropCardOfDeclinedSale, keepNewCard } from './save-card.ts';
import type { PayableSession } from './session-cache.ts';
import { errorSummary } from './sessions.ts';
import { storedNetworkTransactionId } from './stored-credential.ts';
import { verifyTransientToken } from './transient-token.ts';
import { paymentView, subscriptionView } from './views.ts';

export interface PayInput {
  sessionId?: string | undefined;
  transientToken?: string | undefined;
  paymentMethodId?: string | undefined;
  item: { id: string; amount?: number | undefined };
  savePaymentMethod?: boolean | undefined;
  email?: string | undefined;
  billTo?: BillTo | undefined;
}

export interface PayResult {
  payment: ReturnType<typeof paymentView>;
  subscription?: ReturnType<typeof subscriptionView>;
  paymentMethodId?: string;
}

interface Prepared {
  request: PaymentRequestInput;
  session: PayableSession | undefined;
  /** The transient token's jti, spent in the same transaction that writes the pending row. */
  spendToken: string | undefined;
  /** For the per-card decline cap (`limits/card-key.ts`). */
  cardKey: string;
  card: { brand: string; last4: string };
  paymentMethodId: string | undefined;
  customerId: string | undefined;
  /** Set for a new card the shopper keeps. */
  keep: CardFacts | undefined;
}

export async function pay(
  ctx: CheckoutContext,
  shopperId: string,
  input: PayInput,
  requestId: string,
  /** The counted client address, for the per-IP decline cap (RELIABILITY-FACTS §4). */
  clientIp: string | undefined = undefined,
): Promise<PayResult> {
  const priced = priceItem(ctx.catalog, input.item, ctx.config.currency);
  const isPlan = priced.kind === 'plan';
  if (priced.kind === 'plan') {
    // One read for both, reaching back one of the plan's periods (and a day: months differ in
    // length) for a paid first payment whose subscription never started; that it is still within
    // its first period is checked exactly below. A plan may run for up to 12 years a period.
    const now = ctx.now();
    const periodMs =
      periodEnd(now, priced.item.interval, priced.item.intervalCount, 1).getTime() - now.getTime();
    const standing = await findPlanStanding(
      ctx.db,
      shopperId,
      priced.item.id,
      new Date(now.getTime() - periodMs - 86_400_000),
    );
    // One live subscription per plan and shopper: a second purchase would renew alongside the
    // first. Purchases at once, or while one is held for review, are held apart by the
    // one-unresolved-payment index; `completeApprovedPayment` checks again before starting one.
    if (standing.live) throw stubError('already_subscribed');
    // A renewal of a subscription the shopper canceled meanwhile, still being confirmed or
    // reviewed: approved later, it pays the period a new purchase would pay again.
    if (standing.renewing) throw stubError('payment_in_progress');
    const started =
      standing.unstarted &&
      (await startPaidSubscription(ctx, shopperId, priced.item, standing.unstarted, requestId));
    if (started) return started;
  }
  const now = ctx.now();
  const paymentId = newId('pay');
  const common = {
    code: paymentId,
    transactionId: newTransactionId(),
    amount: priced.amount,
    currency: ctx.config.currency,
    billTo: { ...(input.billTo ?? {}), ...(input.email ? { email: input.email } : {}) },
  };
  const log = ctx.logger.child({ requestId });

  let prepared: Prepared;
  if (input.paymentMethodId !== undefined) {
    const method = await findShopperPaymentMethod(ctx.db, shopperId, input.paymentMethodId);
    if (!method) throw stubError('payment_method_not_found');
    prepared = {
      request: savedCardPayment(common, method.customer_id, method.id, isPlan, method.brand),
      session: undefined,
      spendToken: undefined,
      cardKey: savedCardKey(method.instrument_identifier_id),
      card: { brand: method.brand, last4: method.last4 },
      paymentMethodId: method.id,
      customerId: method.customer_id,
      keep: undefined,
    };
  } else {
    const session = input.sessionId ? await ctx.sessions.find(ctx.db, input.sessionId) : undefined;
    if (!session || session.shopperId !== shopperId) throw stubError('session_not_found');
    if (session.expiresAt.getTime() <= now.getTime()) throw stubError('session_expired');
    const token = await verifyTransientToken(input.transientToken ?? '', session.flxJwk, now);
    // A plan needs a stored credential for its renewals; a guest one-time charge keeps nothing.
    const keep = isPlan || input.savePaymentMethod === true;
    // The shopper's TMS customer, when the card is kept into it (the session's insert made sure
    // the shopper exists).
    const customerId = keep
      ? ((await findShopper(ctx.db, shopperId))?.customer_id ?? undefined)
      : undefined;
    prepared = {
      request: newCardPayment(
        common,
        input.transientToken ?? '',
        keep ? { customerId, recurring: isPlan, brand: token.card.brand } : undefined,
      ),
      session,
      spendToken: token.jti,
      cardKey: newCardKey(token.card),
      card: { brand: token.card.brand, last4: token.card.last4 },
      paymentMethodId: undefined,
      customerId,
      keep: keep
        ? {
            instrumentLast4: token.card.last4,
            brand: token.card.brand,
            ...(token.card.expirationMonth ? { expirationMonth: token.card.expirationMonth } : {}),
            ...(token.card.expirationYear ? { expirationYear: token.card.expirationYear } : {}),
          }
        : undefined,
    };
  }

  // One transaction before the call, so a refusal at any step leaves nothing behind: reserve
  // the charge against the decline caps (§4), then one statement spends the token (one payment
  // per token), links the Idempotency-Key (the reconciler answers it once resolved) and writes
  // the pending row.
  const { session } = prepared;
  const { pending, ticket } = await ctx.db.transaction(async (tx) => {
    const ticket = await ctx.limits.reserve(
      tx,
      {
        sessionId: session?.id,
        sessionExpiresAt: session?.expiresAt,
        shopperId,
        clientIp,
        cardKey: prepared.cardKey,
      },
      log,
    );
    // A resume of the plan at the same moment (another tab) is ordered with this purchase
    // (`lockPlanPurchase`): whichever comes second is refused.
    if (isPlan && (await lockPlanPurchase(tx, shopperId, priced.item.id)).live)
      throw stubError('already_subscribed');
    const { spendToken } = prepared;
    const written = await insertPendingPayment(
      tx,
      {
        id: paymentId,
        kind: isPlan ? 'subscription_start' : 'one_time',
        shopperId,
        sessionId: session?.id,
        itemId: priced.item.id,
        subscriptionId: undefined,
        period: undefined,
        amount: priced.amount,
        currency: ctx.config.currency,
        transactionId: common.transactionId,
        referenceCode: paymentId,
        paymentMethodId: prepared.paymentMethodId,
        customerId: prepared.customerId,
        cardBrand: prepared.card.brand,
        cardLast4: prepared.card.last4,
        createdAt: now,
      },
      {
        spendToken: spendToken && session ? { jti: spendToken, sessionId: session.id } : undefined,
        linkKey: currentHeldKey(),
      },
    );
    if (!written.written && written.why === 'token_used') throw stubError('transient_token_used');
    // The saved card is being removed (another tab): it is gone for this shopper.
    if (!written.written && written.why === 'card_removed')
      throw stubError('payment_method_not_found');
    // Never a fresh sale while an earlier one of this shopper may still have charged (§3.6):
    // their unresolved payment refuses this row (migrations 005 and 006), and the refusal rolls
    // the reservation back.
    if (!written.written) throw stubError('payment_in_progress');
    const pending = written.row;
    return { pending, ticket };
  });

  const outcome = await createPayment(ctx.client, prepared.request, requestId);
  const approved = await ctx.limits
    .charge(ticket, () => settlePayment(ctx, pending, outcome, requestId))
    .catch(async (err) => {
      // Kept into a customer TMS no longer has: nothing was charged; forgotten, so the
      // shopper's next attempt keeps the card into a new one.
      if (prepared.keep && prepared.customerId && refusedCustomer(err))
        await forgetCustomerIfGone(ctx, shopperId, prepared.customerId, requestId).catch(
          () => false,
        );
      if (prepared.keep && outcome.outcome === 'answered' && isDecline(err))
        await dropCardOfDeclinedSale(
          ctx,
          shopperId,
          outcome.response,
          prepared.customerId,
          requestId,
        );
      throw err;
    });
  if (approved.resolvedElsewhere) {
    // The reconciler recorded it and finished the flow (card kept, subscription started).
    const { row } = approved;
    const sub = row.subscription_id
      ? await findSubscription(ctx.db, row.subscription_id)
      : undefined;
    return {
      payment: paymentView(row),
      ...(sub ? { subscription: subscriptionView(sub) } : {}),
      ...(prepared.keep && row.payment_method_id ? { paymentMethodId: row.payment_method_id } : {}),
    };
  }

  try {
    return await completeApprovedPayment(
      ctx,
      {
        shopperId,
        approved,
        paymentMethodId: prepared.paymentMethodId,
        customerId: prepared.customerId,
        keep: prepared.keep,
        plan: priced.kind === 'plan' ? priced.item : undefined,
      },
      requestId,
    );
  } catch (err) {
    // The shopper was charged: the answer must say so (a 500 under this key would make them
    // pay again with a new one). A plan's subscription not written is started by the
    // reconciler from this payment (`reconcile/plan-start.ts`); a card not kept is for an
    // operator.
    log.error(
      { paymentId, err: errorSummary(err) },
      'payment approved but keeping the card or starting the subscription failed',
    );
    const row = (await findPayment(ctx.db, paymentId).catch(() => undefined)) ?? approved.row;
    return { payment: paymentView(row) };
  }
}

export interface ApprovedCheckout {
  shopperId: string;
  approved: Approved;
  /** Set when a saved card paid. */
  paymentMethodId: string | undefined;
  customerId: string | undefined;
  /** Set for a new card the shopper keeps (TOKEN_CREATE). */
  keep: CardFacts | undefined;
  /** Set when the item is a plan: the subscription starts now. */
  plan: Plan | undefined;
  /**
   * When its first period began, if not now: a subscription started late from the payment that
   * paid for it (`startPaidSubscription`) runs from that payment, or the shopper would get the
   * time in between free, and every later period would shift with it (renewals count periods
   * from the subscription's start, `renew.ts`).
   */
  periodStart?: Date;
}

/** Why a paid plan's subscription did not start, as logged where it was paid. */
const NOT_STARTED: Record<PlanStartRefusal, { level: 'warn' | 'error'; message: string }> = {
  // Never two subscriptions renewing: paid while another purchase of the plan went live (a
  // review accepted late, or a second tab in the moment between approval and start).
  live: {
    level: 'error',
    message:
      'plan paid while a subscription to it is live; no second subscription (refund this payment)',
  },
  // Canceled since, but its renewal, approved later, pays the period this payment paid.
  renewing: {
    level: 'error',
    message:
      'plan paid while a renewal of an earlier subscription to it is unresolved; no subscription yet (the reconciler starts it once that renewal is resolved, unless a subscription to the plan is live then)',
  },
  // Removed meanwhile (another tab, a kept twin of a card being removed): its renewals would all
  // fail. The card's removal and this start are serialised (`claimRemoval`). A removal TMS
  // refuses gives the card back: the reconciler tries again then.
  card_unavailable: {
    level: 'error',
    message:
      'plan paid but its card was removed or is being removed; no subscription (the reconciler starts it if the card stays, else refund this payment)',
  },
  // The reconciler could not start it and logged it for a refund (this request took minutes).
  given_up: {
    level: 'error',
    message:
      'plan paid, but its payment was given up meanwhile (no card or stored credential to renew with); no subscription (refund this payment)',
  },
  // Started by the reconciler meanwhile (this request took minutes), or refunded already.
  payment_changed: {
    level: 'warn',
    message: 'plan paid, but its payment was started or refunded meanwhile; nothing more started',
  },
};

/**
 * What follows an approved shopper payment: keep the new card, start the subscription, record
 * both on the payment. Shared by `pay` and the reconciler, which finishes a payment whose
 * answer was lost the same way (RELIABILITY-FACTS §3.6).
 */
export async function completeApprovedPayment(
  ctx: CheckoutContext,
  a: ApprovedCheckout,
  requestId: string,
): Promise<PayResult> {
  const { approved, shopperId } = a;
  const paymentId = approved.row.id;
  let paymentMethodId = a.paymentMethodId;
  let customerId = a.customerId;
  if (a.keep) {
    const kept = await keepNewCard(
      ctx,
      shopperId,
      approved.response,
      a.keep,
      a.customerId,
      requestId,
    );
    if (kept) {
      paymentMethodId = kept.paymentMethodId;
      customerId = kept.customerId;
    }
  }

  let row: PaymentRow = approved.row;
  // The card kept, on the payment before anything else can fail: a subscription started later
  // from this payment (`plan-start.ts`) renews with it. Read back from Transaction Details
  // instead, a card already saved and typed again names the duplicate TMS has deleted since.
  if (paymentMethodId !== a.paymentMethodId) {
    row = await finishPayment(
      ctx.db,
      paymentId,
      { status: row.status, paymentMethodId, customerId },
      ctx.now(),
    );
  }
  let subscription: SubscriptionRow | undefined;
  if (a.plan) {
    if (!paymentMethodId || !customerId) {
      ctx.logger.error(
        { requestId, paymentId },
        'plan paid but no stored credential came back; no subscription',
      );
      // No card kept: nothing can ever renew it.
      await givePlanStartUp(ctx.db, paymentId, ctx.now());
    } else {
      const networkTransactionId =
        approved.networkTransactionId ??
        (await storedNetworkTransactionId(ctx, shopperId, paymentMethodId, requestId));
      // Not in the answer nor readable in TMS: renewals name the card's tokens alone
      // (`renewalPayment`), and an operator should know they do.
      if (!networkTransactionId)
        ctx.logger.warn(
          { requestId, paymentId },
          'no network transaction id on the payment or in TMS; renewals name the saved card alone',
        );
      const start = a.periodStart ?? ctx.now();
      const started = await startSubscriptionFromPayment(
        ctx.db,
        paymentId,
        {
          id: newId('sub'),
          shopperId,
          planId: a.plan.id,
          customerId,
          paymentMethodId,
          amount: row.amount,
          currency: row.currency,
          interval: a.plan.interval,
          intervalCount: a.plan.intervalCount,
          networkTransactionId,
          periodStart: start,
          periodEnd: periodEnd(start, a.plan.interval, a.plan.intervalCount, 1),
          createdAt: start,
        },
        ctx.now(),
      );
      if ('refused' in started) {
        const { level, message } = NOT_STARTED[started.refused];
        ctx.logger[level]({ requestId, paymentId, planId: a.plan.id }, message);
        // Logged for an operator here: the reconciler, which would try it again, leaves it.
        // A card unavailable may come back (a removal TMS refused): the reconciler decides.
        if (started.refused === 'live') await givePlanStartUp(ctx.db, paymentId, ctx.now());
      } else {
        subscription = started.subscription;
        row = started.payment;
      }
    }
  }
  return {
    payment: paymentView(row),
    ...(subscription ? { subscription: subscriptionView(subscription) } : {}),
    ...(paymentMethodId && a.keep ? { paymentMethodId } : {}),
  };
}

/**
 * `row`: a first payment for this plan that was approved but whose subscription was never
 * written (`plan-start.ts`), not refunded, made within one of the plan's periods
 * (`findPlanStanding`). The shopper has paid for the plan: its subscription starts from that
 * payment instead of a second charge. Undefined when it cannot (its period over, or no card to
 * renew with): the purchase is then charged anew, and the earlier payment,
 * marked so the reconciler does not try it again, is an operator's to refund.
 */
async function startPaidSubscription(
  ctx: CheckoutContext,
  shopperId: string,
  plan: Plan,
  row: PaymentRow,
  requestId: string,
): Promise<PayResult | undefined> {
  const late = await startFromPaidPayment(ctx, shopperId, plan, row, requestId);
  if ('started' in late) {
    ctx.logger.warn(
      { requestId, paymentId: row.id, planId: plan.id },
      'plan paid earlier but its subscription never started; starting it from that payment, no new charge',
    );
    return late.started;
  }
  if ('cannot' in late) {
    if (late.cannot === 'period_over') return;
    // Logged once, by whoever marks it: the reconciler may have given it up (or started it)
    // since this purchase read it.
    if (await givePlanStartUp(ctx.db, row.id, ctx.now()))
      ctx.logger.error(
        { requestId, paymentId: row.id, planId: plan.id, cannot: late.cannot },
        'plan paid earlier but never started, and it cannot start from that payment (its card gone or being removed): charging this purchase anew (refund that payment)',
      );
    return;
  }
  // Not started after all: a subscription gone live, the card claimed by a removal, or the
  // payment started or refunded, all in the moment since the purchase read it. Never a 201 that
  // names the old payment as this purchase.
  throw stubError(late.refused === 'live' ? 'already_subscribed' : 'payment_in_progress');
}

const isDecline = (err: unknown) => err instanceof StubError && err.code === 'card_declined';
