/**
 * @module Payment rows. The pending row, with its unique `transactionId`, is written before
 * CyberSource is called and finished after (DESIGN.md "Principles"); a crash or timeout leaves
 * a row the reconciler can finish.
 */
import { z } from 'zod';
import type { Queryable } from './database.ts';
import type { HeldKey } from './idempotency.ts';
import { cardFree, removalCutoff } from './removal-hold.ts';
import { firstOf, type PaymentKind, PaymentRow, type PaymentStatus, rowsOf } from './rows.ts';

export interface NewPayment {
  id: string;
  kind: PaymentKind;
  shopperId: string | undefined;
  sessionId: string | undefined;
  itemId: string;
  subscriptionId: string | undefined;
  period: number | undefined;
  amount: number;
  currency: string;
  transactionId: string;
  referenceCode: string;
  paymentMethodId: string | undefined;
  customerId: string | undefined;
  cardBrand: string | undefined;
  cardLast4: string | undefined;
  createdAt: Date;
}

export interface PendingWrite {
  /** A transient token's jti, spent with the row: one payment per token. */
  spendToken?: { jti: string; sessionId: string } | undefined;
  /** The request's Idempotency-Key, linked to the row so the reconciler can answer it. */
  linkKey?: HeldKey | undefined;
  /**
   * A renewal by renew-due: written only if the subscription is due at this time (its period
   * ended, its next retry reached), read under the same lock as `not_live`. The caller's earlier
   * read may predate a failure another process just counted (its decline freed the period).
   */
  dueBy?: Date | undefined;
  /**
   * A merchant's "renew now" that says what its panel showed: written only if the subscription's
   * last counted failure of the period is still this one (`null`: none), read under the same
   * lock. One counted since (another process's renew-due was just declined) would have the card
   * charged again within moments of its refusal.
   */
  lastFailureSeen?: string | null | undefined;
}

export type PendingResult =
  | { written: true; row: PaymentRow }
  /**
   * `token_used`: the transient token was spent before; `not_live`: the renewal's subscription
   * is no longer active or past due (canceled meanwhile); `not_due`: `dueBy` is before the
   * subscription's next attempt, or its last counted failure is no longer `lastFailureSeen`;
   * `card_removed`: the saved card paying is gone, or a removal holds it (migration 012); `card_changed`: the renewal's subscription renews with another
   * card now (`changeSubscriptionCard`); `conflict`: a unique index refused it.
   */
  | {
      written: false;
      why: 'token_used' | 'not_live' | 'not_due' | 'card_removed' | 'card_changed' | 'conflict';
    };

const Head = z.object({
  token_ok: z.boolean(),
  live_ok: z.boolean(),
  due_ok: z.boolean(),
  card_ok: z.boolean(),
  id: z.string().nullable(),
});

/**
 * Writes the pending row, with the token spend and the key link, in one statement (one round
 * trip). A unique index refuses the row when a live renewal of that period, or an unresolved
 * payment in that checkout session (migration 005), already exists. A renewal's row is written
 * only while its subscription is live, read under a share lock: a cancellation either lands
 * first (no row, no charge) or waits for this row and then sees it (`checkout/cancel.ts`). A
 * shopper's saved card is read the same way, so a removal either claims it first (no row) or
 * waits and then refuses, seeing this payment (`claimRemoval`); and a renewal's card on its
 * subscription, so a card change either lands first (no row: the renewal read the old card) or
 * waits and then sees this renewal in flight (`changeSubscriptionCard`). The key is linked only
 * to a written row, but a refused row leaves its token spent: a caller spending a token runs
 * this in a transaction and rolls back unless `written` (checkout/pay.ts). The ids and the
 * transaction id are fresh random values, so a conflict is one of those two indexes.
 */
export async function insertPendingPayment(
  db: Queryable,
  p: NewPayment,
  w: PendingWrite = {},
): Promise<PendingResult> {
  const r = await db.query(
    `WITH spent AS (
       INSERT INTO used_transient_tokens (jti, session_id, used_at)
       SELECT $17, $18, $16 WHERE $17::text IS NOT NULL
       ON CONFLICT (jti) DO NOTHING RETURNING jti
     ),
     token AS (SELECT ($17::text IS NULL OR EXISTS (SELECT 1 FROM spent)) AS token_ok),
     live AS (
       SELECT ($2 <> 'renewal' OR EXISTS (
         SELECT 1 FROM subscriptions WHERE id = $6 AND status IN ('active', 'past_due') FOR SHARE
       )) AS live_ok
     ),
     due AS (
       SELECT (($22::timestamptz IS NULL AND NOT $24::boolean) OR EXISTS (
         SELECT 1 FROM subscriptions WHERE id = $6
           AND ($22::timestamptz IS NULL OR (current_period_end <= $22
             AND (next_renewal_at IS NULL OR next_renewal_at <= $22)))
           AND (NOT $24::boolean OR renewal_failure_payment_id IS NOT DISTINCT FROM $23::text)
           FOR SHARE
       )) AS due_ok
     ),
     card AS (
       SELECT (CASE WHEN $2 = 'renewal' THEN EXISTS (
         SELECT 1 FROM subscriptions WHERE id = $6 AND payment_method_id IS NOT DISTINCT FROM $12
           FOR SHARE
       ) ELSE $12::text IS NULL OR EXISTS (
         SELECT 1 FROM payment_methods WHERE id = $12
           AND ${cardFree('$21')} FOR SHARE
       ) END) AS card_ok
     ),
     inserted AS (
       INSERT INTO payments (id, kind, shopper_id, session_id, item_id, subscription_id, period, amount, currency, status,
         transaction_id, reference_code, payment_method_id, customer_id, card_brand, card_last4, created_at, updated_at)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', $10, $11, $12, $13, $14, $15, $16, $16
       FROM token, live, due, card WHERE token_ok AND live_ok AND due_ok AND card_ok
       ON CONFLICT DO NOTHING RETURNING *
     ),
     linked AS (
       UPDATE idempotency_keys SET resource_id = $1
       WHERE scope = $19 AND key = $20 AND EXISTS (SELECT 1 FROM inserted)
     )
     SELECT token.token_ok, live.live_ok, due.due_ok, card.card_ok, inserted.* FROM token
       CROSS JOIN live CROSS JOIN due CROSS JOIN card LEFT JOIN inserted ON true`,
    [
      p.id,
      p.kind,
      p.shopperId ?? null,
      p.sessionId ?? null,
      p.itemId,
      p.subscriptionId ?? null,
      p.period ?? null,
      p.amount,
      p.currency,
      p.transactionId,
      p.referenceCode,
      p.paymentMethodId ?? null,
      p.customerId ?? null,
      p.cardBrand ?? null,
      p.cardLast4 ?? null,
      p.createdAt,
      w.spendToken?.jti ?? null,
      w.spendToken?.sessionId ?? null,
      w.linkKey?.scope ?? null,
      w.linkKey?.key ?? null,
      removalCutoff(p.createdAt),
      w.dueBy ?? null,
      w.lastFailureSeen ?? null,
      w.lastFailureSeen !== undefined,
    ],
  );
  const head = Head.parse(r.rows[0]);
  if (!head.token_ok) return { written: false, why: 'token_used' };
  if (!head.live_ok) return { written: false, why: 'not_live' };
  if (!head.due_ok) return { written: false, why: 'not_due' };
  if (!head.card_ok)
    return { written: false, why: p.kind === 'renewal' ? 'card_changed' : 'card_removed' };
  if (head.id === null) return { written: false, why: 'conflict' };
  return { written: true, row: PaymentRow.parse(r.rows[0]) };
}

export interface PaymentResult {
  status: PaymentStatus;
  cybersourceId?: string | undefined;
  networkTransactionId?: string | undefined;
  declineReason?: string | undefined;
  paymentMethodId?: string | undefined;
  customerId?: string | undefined;
  cardBrand?: string | undefined;
  cardLast4?: string | undefined;
  subscriptionId?: string | undefined;
  period?: number | undefined;
  /**
   * `held`: CyberSource approved an authorization it did not capture (risk declined); the
   * reconciler reverses it from now on (`listHeldAuthorizations`).
   */
  authHold?: 'held' | undefined;
}

/**
 * Finishes a payment; COALESCE keeps what was known before when the answer lacks it. With
 * `onlyIf`, the update happens only while the row still has one of those statuses (the
 * reconciler's compare-and-set) and `undefined` says another resolver got there first.
 */
export async function finishPayment(
  db: Queryable,
  id: string,
  r: PaymentResult,
  now: Date,
): Promise<PaymentRow>;
export async function finishPayment(
  db: Queryable,
  id: string,
  r: PaymentResult,
  now: Date,
  onlyIf: readonly PaymentStatus[],
): Promise<PaymentRow | undefined>;
export async function finishPayment(
  db: Queryable,
  id: string,
  r: PaymentResult,
  now: Date,
  onlyIf?: readonly PaymentStatus[],
): Promise<PaymentRow | undefined> {
  const res = await db.query(
    `UPDATE payments SET status = $2,
       cybersource_id = COALESCE($3, cybersource_id),
       network_transaction_id = COALESCE($4, network_transaction_id),
       decline_reason = COALESCE($5, decline_reason),
       payment_method_id = COALESCE($6, payment_method_id),
       customer_id = COALESCE($7, customer_id),
       card_brand = COALESCE($8, card_brand),
       card_last4 = COALESCE($9, card_last4),
       subscription_id = COALESCE($10, subscription_id),
       period = COALESCE($11, period),
       auth_hold = COALESCE($14, auth_hold),
       hold_next_at = CASE WHEN $14::text IS NULL THEN hold_next_at ELSE $12 END,
       updated_at = $12
     WHERE id = $1 AND ($13::text[] IS NULL OR status = ANY($13::text[])) RETURNING *`,
    [
      id,
      r.status,
      r.cybersourceId ?? null,
      r.networkTransactionId ?? null,
      r.declineReason ?? null,
      r.paymentMethodId ?? null,
      r.customerId ?? null,
      r.cardBrand ?? null,
      r.cardLast4 ?? null,
      r.subscriptionId ?? null,
      r.period ?? null,
      now,
      onlyIf === undefined ? null : [...onlyIf],
      r.authHold ?? null,
    ],
  );
  const row = firstOf(PaymentRow, res.rows);
  if (!row && onlyIf === undefined) throw new Error(`payment ${id} not found`);
  return row;
}

/**
 * The renewal of `period` that holds the period's unique index (pending, unknown, review or
 * succeeded), if any.
 */
export async function findLiveRenewal(
  db: Queryable,
  subscriptionId: string,
  period: number,
): Promise<PaymentRow | undefined> {
  return firstOf(
    PaymentRow,
    (
      await db.query(
        `SELECT * FROM payments WHERE subscription_id = $1 AND period = $2 AND kind = 'renewal'
         AND status NOT IN ('declined', 'failed')`,
        [subscriptionId, period],
      )
    ).rows,
  );
}

/**
 * The renewals of these subscriptions that are sent but not final (pending, outcome unknown, or
 * held for review), by subscription: the reconciler's to finish, so renew-due leaves those
 * subscriptions alone (`listDueSubscriptions`) and the panel shows the renewal, not a schedule.
 */
export async function findUnresolvedRenewals(
  db: Queryable,
  subscriptionIds: readonly string[],
): Promise<Map<string, PaymentRow>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = rowsOf(
    PaymentRow,
    (
      await db.query(
        `SELECT * FROM payments WHERE subscription_id = ANY($1::text[]) AND kind = 'renewal'
         AND status IN ('pending', 'unknown', 'review')`,
        [[...subscriptionIds]],
      )
    ).rows,
  );
  return new Map(rows.map((r) => [r.subscription_id ?? '', r]));
}

/**
 * The saved card's first approved customer-initiated payment: the one that kept it, marking the
 * credential stored on file (`payment-requests.ts`). Renewals on the card cite it.
 */
export async function findFirstCardPayment(
  db: Queryable,
  paymentMethodId: string,
): Promise<PaymentRow | undefined> {
  return firstOf(
    PaymentRow,
    (
      await db.query(
        `SELECT * FROM payments WHERE payment_method_id = $1 AND kind <> 'renewal'
           AND status = 'succeeded'
         ORDER BY created_at LIMIT 1`,
        [paymentMethodId],
      )
    ).rows,
  );
}

export async function findPayment(db: Queryable, id: string): Promise<PaymentRow | undefined> {
  return firstOf(PaymentRow, (await db.query('SELECT * FROM payments WHERE id = $1', [id])).rows);
}

/** Locks the row for the rest of the transaction (refund accounting). */
export async function lockPayment(db: Queryable, id: string): Promise<PaymentRow | undefined> {
  return firstOf(
    PaymentRow,
    (await db.query('SELECT * FROM payments WHERE id = $1 FOR UPDATE', [id])).rows,
  );
}

export async function addRefunded(
  db: Queryable,
  id: string,
  delta: number,
  now: Date,
): Promise<void> {
  await db.query(
    'UPDATE payments SET refunded_amount = refunded_amount + $2, updated_at = $3 WHERE id = $1',
    [id, delta, now],
  );
}

/**
 * Newest first. `startingAfter` (a payment id, the last of the page before) continues by
 * `(created_at, id)`, the order itself: a time alone skips rows created in the same millisecond
 * as the page's last one, which several processes on one database make.
 */
export async function listPayments(
  db: Queryable,
  q: {
    limit: number;
    status?: PaymentStatus | undefined;
    before?: Date | undefined;
    startingAfter?: { createdAt: Date; id: string } | undefined;
    shopperId?: string | undefined;
    subscriptionId?: string | undefined;
    /** The id CyberSource gave the sale (the Business Center's request id). */
    cybersourceId?: string | undefined;
  },
): Promise<PaymentRow[]> {
  const r = await db.query(
    `SELECT * FROM payments
     WHERE ($1::text IS NULL OR status = $1) AND ($2::timestamptz IS NULL OR created_at < $2)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4, $5::text))
       AND ($6::text IS NULL OR shopper_id = $6) AND ($7::text IS NULL OR subscription_id = $7)
       AND ($8::text IS NULL OR cybersource_id = $8)
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [
      q.status ?? null,
      q.before ?? null,
      q.limit,
      q.startingAfter?.createdAt ?? null,
      q.startingAfter?.id ?? null,
      q.shopperId ?? null,
      q.subscriptionId ?? null,
      q.cybersourceId ?? null,
    ],
  );
  return rowsOf(PaymentRow, r.rows);
}

/**
 * Payments whose outcome is not known yet, oldest first: the reconciler's work list. With
 * `before`, only rows untouched since then: CyberSource asks to wait before looking a timed-out
 * payment up (RELIABILITY-FACTS §3.6), and a `pending` row must also be older than any live
 * request can be (its call may still be under way).
 */
export async function listUnknownPayments(
  db: Queryable,
  limit: number,
  before?: { unknown: Date; pending: Date },
): Promise<PaymentRow[]> {
  const r = await db.query(
    `SELECT * FROM payments
     WHERE (status = 'unknown' AND ($2::timestamptz IS NULL OR updated_at <= $2))
        OR (status = 'pending' AND ($3::timestamptz IS NULL OR updated_at <= $3))
     ORDER BY updated_at LIMIT $1`,
    [limit, before?.unknown ?? null, before?.pending ?? null],
  );
  return rowsOf(PaymentRow, r.rows);
}

/**
 * Dates a reconciler look that settled nothing, so the row goes to the back of the work list
 * and waits RECONCILE_AFTER_SECONDS again (a `pending` one also the payment timeout, as at
 * first): rows CyberSource cannot answer for never crowd out
 * the newer ones behind them (the list is oldest `updated_at` first, a batch at a time).
 */
export async function touchUnresolvedPayment(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE payments SET updated_at = $2 WHERE id = $1 AND status IN ('pending', 'unknown')`,
    [id, now],
  );
}

/** Payments held for review and untouched since `before`, oldest first (migration 007 index). */
export async function listHeldPayments(
  db: Queryable,
  limit: number,
  before: Date,
): Promise<PaymentRow[]> {
  const r = await db.query(
    `SELECT * FROM payments WHERE status = 'review' AND updated_at <= $2
     ORDER BY updated_at LIMIT $1`,
    [limit, before],
  );
  return rowsOf(PaymentRow, r.rows);
}

/**
 * Risk-declined authorizations still holding the shopper's funds whose (next) reversal is due,
 * oldest first (migration 013).
 */
export async function listHeldAuthorizations(
  db: Queryable,
  limit: number,
  now: Date,
): Promise<PaymentRow[]> {
  const r = await db.query(
    `SELECT * FROM payments WHERE auth_hold = 'held' AND hold_next_at <= $2
     ORDER BY hold_next_at LIMIT $1`,
    [limit, now],
  );
  return rowsOf(PaymentRow, r.rows);
}

/**
 * Records one reversal attempt: `released` or `release_failed` end it; `retryAt` keeps the hold
 * and dates the next try. Compare-and-set on `held`: `undefined` when another process (or an
 * earlier pass) already ended it.
 */
export async function recordHoldAttempt(
  db: Queryable,
  id: string,
  outcome: { ended: 'released' | 'release_failed' } | { retryAt: Date },
): Promise<PaymentRow | undefined> {
  const ended = 'ended' in outcome ? outcome.ended : null;
  const r = await db.query(
    `UPDATE payments SET hold_attempts = hold_attempts + 1,
       auth_hold = COALESCE($2, auth_hold),
       hold_next_at = $3
     WHERE id = $1 AND auth_hold = 'held' RETURNING *`,
    [id, ended, 'retryAt' in outcome ? outcome.retryAt : null],
  );
  return firstOf(PaymentRow, r.rows);
}

/**
 * A plan's first payment approved whose subscription was never started, nor the payment refunded
 * (a refund is reserved on the row before it is sent) or given up (migration 025): one a
 * subscription may still start from. One condition for every reader and writer of such payments
 * (the reconciler's list and its marks here, a purchase's look-up and the start itself,
 * `subscriptions.ts`), so none of them drifts from the others. Holds migration 011's partial
 * index predicate, so the lists read through it.
 */
export const STARTABLE_PLAN_PAYMENT = `kind = 'subscription_start' AND status = 'succeeded'
  AND subscription_id IS NULL AND refunded_amount = 0 AND plan_start_given_up_at IS NULL`;

/**
 * Plans' first payments approved whose subscription was never written (a failed write right
 * after the approval), untouched since `before`, least recently touched first: the reconciler
 * starts each one's subscription, or gives it up once (`givePlanStartUp`). Read through migration 011's partial
 * index, which holds only such payments. A refund of one (the merchant's answer to the log)
 * takes it out of the list.
 */
export async function listUnstartedPlanPayments(
  db: Queryable,
  limit: number,
  before: Date,
): Promise<PaymentRow[]> {
  const r = await db.query(
    `SELECT * FROM payments WHERE ${STARTABLE_PLAN_PAYMENT} AND updated_at <= $2
     ORDER BY updated_at LIMIT $1`,
    [limit, before],
  );
  return rowsOf(PaymentRow, r.rows);
}

/**
 * Puts a plan's payment whose start must wait (a renewal of the plan unresolved, TMS or
 * Transaction Details unreachable, the card held by a removal) behind the others, and has it
 * wait the reconciler's delay again, as `touchUnresolvedPayment` does for lookups.
 */
export async function touchUnstartedPlan(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE payments SET updated_at = $2 WHERE id = $1 AND ${STARTABLE_PLAN_PAYMENT}`,
    [id, now],
  );
}

/**
 * Marks a plan's payment whose subscription cannot be started from it (migration 025): logged
 * once for an operator, never looked at again by the reconciler. False when it was not marked:
 * given up already (another process, a purchase), started or refunded meanwhile (a merchant's
 * refund, reserved before it is sent), so it is not logged again, nor logged "refund it" for a
 * subscription that started or money already returned.
 */
export async function givePlanStartUp(db: Queryable, id: string, now: Date): Promise<boolean> {
  const r = await db.query(
    `UPDATE payments SET plan_start_given_up_at = $2 WHERE id = $1 AND ${STARTABLE_PLAN_PAYMENT}`,
    [id, now],
  );
  return r.affectedRows === 1;
}
