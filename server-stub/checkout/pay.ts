/**
 * @module Paying (DESIGN.md flow table): a new card from a transient token, or a saved card;
 * a plan item starts a subscription. One `POST /pts/v2/payments` per payment; the pending row
 * is written first.
 */
import type { PaymentRequestInput } from '../../cybersource/payments/index.ts';
import { addInterval, priceItem } from '../config/catalog.ts';
import { createPayment } from '../cybersource/payments.ts';
import { stubError } from '../errors.ts';
import { findShopperPaymentMethod } from '../store/payment-methods.ts';
import { findPayment, finishPayment, insertPendingPayment } from '../store/payments.ts';
import type { PaymentRow, SubscriptionRow } from '../store/rows.ts';
import { findSession, spendTransientToken } from '../store/sessions.ts';
import { ensureShopper } from '../store/shoppers.ts';
import { insertSubscription } from '../store/subscriptions.ts';
import type { CheckoutContext } from './context.ts';
import { newId, newTransactionId } from './ids.ts';
import { settlePayment } from './payment-outcome.ts';
import { type BillTo, newCardPayment, savedCardPayment } from './payment-requests.ts';
import { keepNewCard } from './save-card.ts';
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
  sessionId: string | undefined;
  card: { brand: string; last4: string };
  paymentMethodId: string | undefined;
  customerId: string | undefined;
  /** Set for a new card the shopper keeps. */
  keep:
    | { instrumentLast4: string; brand: string; expirationMonth?: string; expirationYear?: string }
    | undefined;
}

export async function pay(
  ctx: CheckoutContext,
  shopperId: string,
  input: PayInput,
  requestId: string,
): Promise<PayResult> {
  const priced = priceItem(ctx.catalog, input.item);
  const isPlan = priced.kind === 'plan';
  const now = ctx.now();
  const paymentId = newId('pay');
  const common = {
    code: paymentId,
    transactionId: newTransactionId(),
    amount: priced.amount,
    currency: ctx.config.currency,
    billTo: { ...(input.billTo ?? {}), ...(input.email ? { email: input.email } : {}) },
  };
  const shopper = await ensureShopper(ctx.db, shopperId, now);

  let prepared: Prepared;
  if (input.paymentMethodId !== undefined) {
    const method = await findShopperPaymentMethod(ctx.db, shopperId, input.paymentMethodId);
    if (!method) throw stubError('payment_method_not_found');
    prepared = {
      request: savedCardPayment(common, method.customer_id, method.id, isPlan),
      sessionId: undefined,
      card: { brand: method.brand, last4: method.last4 },
      paymentMethodId: method.id,
      customerId: method.customer_id,
      keep: undefined,
    };
  } else {
    const session = input.sessionId ? await findSession(ctx.db, input.sessionId) : undefined;
    if (!session || session.shopper_id !== shopperId) throw stubError('session_not_found');
    if (session.expires_at.getTime() <= now.getTime()) throw stubError('session_expired');
    const token = await verifyTransientToken(input.transientToken ?? '', session.flx_jwk, now);
    if (!(await spendTransientToken(ctx.db, token.jti, session.id, now)))
      throw stubError('transient_token_used');
    // A plan needs a stored credential for its renewals; a guest one-time charge keeps nothing.
    const keep = isPlan || input.savePaymentMethod === true;
    const customerId = shopper.customer_id ?? undefined;
    prepared = {
      request: newCardPayment(
        common,
        input.transientToken ?? '',
        keep ? { customerId, recurring: isPlan } : undefined,
      ),
      sessionId: session.id,
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

  await insertPendingPayment(ctx.db, {
    id: paymentId,
    kind: isPlan ? 'subscription_start' : 'one_time',
    shopperId,
    sessionId: prepared.sessionId,
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
  });
  const pending = await findPayment(ctx.db, paymentId);
  if (!pending) throw new Error('pending payment vanished');

  const outcome = await createPayment(ctx.client, prepared.request, requestId);
  const approved = await settlePayment(ctx, pending, outcome, requestId);

  let paymentMethodId = prepared.paymentMethodId;
  let customerId = prepared.customerId;
  if (prepared.keep) {
    const kept = await keepNewCard(ctx, shopperId, approved.response, prepared.keep, requestId);
    if (kept) {
      paymentMethodId = kept.paymentMethodId;
      customerId = kept.customerId;
    }
  }

  let row: PaymentRow = approved.row;
  let subscription: SubscriptionRow | undefined;
  if (priced.kind === 'plan') {
    if (!paymentMethodId || !customerId || !approved.networkTransactionId) {
      ctx.logger.error(
        { requestId, paymentId },
        'plan paid but no stored credential came back; no subscription',
      );
    } else {
      const start = ctx.now();
      subscription = await insertSubscription(ctx.db, {
        id: newId('sub'),
        shopperId,
        planId: priced.item.id,
        customerId,
        paymentMethodId,
        amount: priced.amount,
        currency: ctx.config.currency,
        interval: priced.item.interval,
        intervalCount: priced.item.intervalCount,
        networkTransactionId: approved.networkTransactionId,
        periodStart: start,
        periodEnd: addInterval(start, priced.item.interval, priced.item.intervalCount),
        createdAt: start,
      });
    }
  }
  if (paymentMethodId !== prepared.paymentMethodId || subscription) {
    row = await finishPayment(
      ctx.db,
      paymentId,
      {
        status: row.status,
        paymentMethodId,
        customerId,
        ...(subscription ? { subscriptionId: subscription.id, period: 1 } : {}),
      },
      ctx.now(),
    );
  }
  return {
    payment: paymentView(row),
    ...(subscription ? { subscription: subscriptionView(subscription) } : {}),
    ...(paymentMethodId && prepared.keep ? { paymentMethodId } : {}),
  };
}
