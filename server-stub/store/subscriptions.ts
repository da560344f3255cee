/**
 * @module Subscriptions: a plan bought with a stored credential, renewed by the merchant
 * (merchant-initiated, API-FACTS §2.4) once per period.
 */
import { z } from 'zod';
import type { PlanInterval } from '../config/catalog.ts';
import type { Database, Queryable } from './database.ts';
import { STARTABLE_PLAN_PAYMENT } from './payments.ts';
import { cardFree, removalCutoff } from './removal-hold.ts';
import { firstOf, PaymentRow, rowsOf, SubscriptionRow, type SubscriptionStatus } from './rows.ts';

/** Live: renewing, or retrying a declined renewal (`unpaid` and `canceled` are not). */
const LIVE = `status IN ('active', 'past_due')`;
/** SQL: shopper `$1` has a live subscription to plan `$2`. */
const LIVE_TO_PLAN = `EXISTS (SELECT 1 FROM subscriptions WHERE shopper_id = $1 AND plan_id = $2
  AND ${LIVE})`;
/**
 * SQL: a renewal of one of shopper `$1`'s subscriptions to plan `$2` (canceled since, perhaps)
 * is unresolved: pending, unknown or under review. Once approved it pays a period that a new
 * subscription to the plan would pay again.
 */
const RENEWAL_UNRESOLVED = `EXISTS (SELECT 1 FROM payments r JOIN subscriptions s
  ON s.id = r.subscription_id WHERE s.shopper_id = $1 AND s.plan_id = $2 AND r.kind = 'renewal'
  AND r.status IN ('pending', 'unknown', 'review'))`;

export interface NewSubscription {
  id: string;
  shopperId: string;
  planId: string;
  customerId: string;
  paymentMethodId: string;
  amount: number;
  currency: string;
  interval: PlanInterval;
  intervalCount: number;
  /** The first payment's, when its answer carried one: renewals cite it (`renewalPayment`). */
  networkTransactionId: string | undefined;
  periodStart: Date;
  periodEnd: Date;
  createdAt: Date;
}

/**
 * Starts a subscription on the shopper's saved card, read under a share lock: undefined when the
 * card is gone or a removal holds it (migration 012), which either claimed it first or waits for
 * this row and then refuses (`claimRemoval`). Never a subscription whose renewals charge a card
 * TMS is deleting.
 */
export async function insertSubscription(
  db: Queryable,
  s: NewSubscription,
  /** When the card's removal claim is judged: now, for a subscription started late. */
  now: Date = s.createdAt,
): Promise<SubscriptionRow | undefined> {
  const r = await db.query(
    `INSERT INTO subscriptions (id, shopper_id, plan_id, customer_id, payment_method_id, amount, currency, interval,
       interval_count, status, network_transaction_id, current_period, current_period_start, current_period_end,
       created_at, updated_at)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, 1, $11, $12, $13, $13
     WHERE EXISTS (
       SELECT 1 FROM payment_methods WHERE id = $5 AND shopper_id = $2
         AND ${cardFree('$14')} FOR SHARE
     )
     RETURNING *`,
    [
      s.id,
      s.shopperId,
      s.planId,
      s.customerId,
      s.paymentMethodId,
      s.amount,
      s.currency,
      s.interval,
      s.intervalCount,
      s.networkTransactionId ?? null,
      s.periodStart,
      s.periodEnd,
      s.createdAt,
      removalCutoff(now),
    ],
  );
  return firstOf(SubscriptionRow, r.rows);
}

/** Why `startSubscriptionFromPayment` started nothing. */
export type PlanStartRefusal =
  /** The payment is no longer an approved, unrefunded first payment without a subscription. */
  | 'payment_changed'
  /** The reconciler gave it up (migration 025) and logged it for a refund: final. */
  | 'given_up'
  /** The shopper has a live subscription to the plan: never two renewing. */
  | 'live'
  /** A renewal of an earlier subscription to the plan is unresolved (`RENEWAL_UNRESOLVED`). */
  | 'renewing'
  /** The card is gone, or a removal holds it (`insertSubscription`). */
  | 'card_unavailable';

class Refused extends Error {
  constructor(readonly reason: PlanStartRefusal) {
    super(reason);
  }
}

/**
 * Starts the subscription that plan payment `paymentId` paid for, and names it on the payment,
 * in one transaction: of two starts from one payment at once (the request that was charged, the
 * reconciler, the shopper's next purchase of the plan; `checkout/plan-start.ts`) one starts it
 * and the other is refused, and a payment never gets a subscription and a second one beside it.
 * The shopper's row is taken first (`FOR NO KEY UPDATE`, which waits for a resume's `FOR UPDATE`
 * and another start's lock, and for a purchase's pending row holding it `FOR SHARE`,
 * `lockPlanPurchase`): each check below sees what any of them committed. A refund's
 * reservation waits for the payment's row, locked by its update.
 */
export async function startSubscriptionFromPayment(
  db: Database,
  paymentId: string,
  s: NewSubscription,
  now: Date,
): Promise<{ subscription: SubscriptionRow; payment: PaymentRow } | { refused: PlanStartRefusal }> {
  try {
    return await db.transaction(async (tx) => {
      // NO KEY: ordered with a resume, a purchase and another start as FOR UPDATE would be,
      // while the foreign-key checks of rows naming the shopper (a session, a card) go on.
      await tx.query('SELECT 1 FROM shoppers WHERE id = $1 FOR NO KEY UPDATE', [s.shopperId]);
      const checks = z
        .object({
          unstarted: z.boolean(),
          given_up: z.boolean(),
          live: z.boolean(),
          renewing: z.boolean(),
        })
        .parse(
          (
            await tx.query(
              `SELECT EXISTS (SELECT 1 FROM payments WHERE id = $3 AND status = 'succeeded'
                   AND subscription_id IS NULL AND refunded_amount = 0) AS unstarted,
                 EXISTS (SELECT 1 FROM payments WHERE id = $3
                   AND plan_start_given_up_at IS NOT NULL) AS given_up,
                 ${LIVE_TO_PLAN} AS live, ${RENEWAL_UNRESOLVED} AS renewing`,
              [s.shopperId, s.planId, paymentId],
            )
          ).rows[0],
        );
      // The payment first: one a concurrent start has just started reads as changed, not as
      // "another subscription is live" (which asks an operator to refund it).
      if (!checks.unstarted) throw new Refused('payment_changed');
      // An operator was told to refund it: a subscription started now would outlive the refund.
      if (checks.given_up) throw new Refused('given_up');
      if (checks.live) throw new Refused('live');
      if (checks.renewing) throw new Refused('renewing');
      // Its claim judged now: a late start's period began before a claim that has lapsed since.
      const subscription = await insertSubscription(tx, s, now);
      if (!subscription) throw new Refused('card_unavailable');
      const payment = firstOf(
        PaymentRow,
        (
          await tx.query(
            `UPDATE payments SET subscription_id = $2, period = 1, payment_method_id = $3,
               customer_id = $4, updated_at = $5
             WHERE id = $1 AND ${STARTABLE_PLAN_PAYMENT}
             RETURNING *`,
            [paymentId, subscription.id, s.paymentMethodId, s.customerId, now],
          )
        ).rows,
      );
      // Refunded between the check and here (the update re-reads the newest row): undone.
      if (!payment) throw new Refused('payment_changed');
      return { subscription, payment };
    });
  } catch (err) {
    if (err instanceof Refused) return { refused: err.reason };
    throw err;
  }
}

/** The saved cards the shopper's live subscriptions renew with. */
export async function renewingPaymentMethods(
  db: Queryable,
  shopperId: string,
): Promise<Set<string>> {
  const r = await db.query(
    `SELECT payment_method_id FROM subscriptions WHERE shopper_id = $1 AND ${LIVE}`,
    [shopperId],
  );
  return new Set(r.rows.map((row) => (row as { payment_method_id: string }).payment_method_id));
}

const Standing = z.looseObject({
  live_subscription: z.boolean(),
  renewal_unresolved: z.boolean(),
  id: z.string().nullable(),
});

/**
 * What a purchase of `planId` must know, in one read: whether the shopper has a live
 * subscription to it; whether a renewal of one of theirs to it (canceled since, perhaps) is
 * still unresolved (pending, unknown or under review: once approved it pays a period the new
 * purchase would pay again); and their newest approved, unrefunded first payment for it, made
 * after `since`, that never got its subscription (migration 011).
 */
export async function findPlanStanding(
  db: Queryable,
  shopperId: string,
  planId: string,
  since: Date,
): Promise<{ live: boolean; renewing: boolean; unstarted: PaymentRow | undefined }> {
  const r = await db.query(
    `SELECT ${LIVE_TO_PLAN} AS live_subscription, ${RENEWAL_UNRESOLVED} AS renewal_unresolved,
       p.*
     FROM (SELECT 1) AS one LEFT JOIN LATERAL (
       SELECT * FROM payments WHERE shopper_id = $1 AND item_id = $2 AND created_at > $3
         AND ${STARTABLE_PLAN_PAYMENT}
       ORDER BY created_at DESC LIMIT 1) AS p ON true`,
    [shopperId, planId, since],
  );
  const row = Standing.parse(r.rows[0]);
  return {
    live: row.live_subscription,
    renewing: row.renewal_unresolved,
    unstarted: row.id === null ? undefined : PaymentRow.parse(row),
  };
}

export async function findSubscription(
  db: Queryable,
  id: string,
): Promise<SubscriptionRow | undefined> {
  return firstOf(
    SubscriptionRow,
    (await db.query('SELECT * FROM subscriptions WHERE id = $1', [id])).rows,
  );
}

/**
 * Moves to the period a successful renewal of period `from + 1` paid (`to`: that one, or a later
 * one when the periods between ended unpaid, `completeApprovedRenewal`); no-op if already moved.
 * The retry schedule starts afresh for the new period.
 */
export async function advancePeriod(
  db: Queryable,
  id: string,
  a: { from: number; to: number; start: Date; end: Date; now: Date },
): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET current_period = $2, current_period_start = $3, current_period_end = $4,
       status = CASE WHEN status = 'canceled' THEN status ELSE 'active' END,
       renewal_attempts = 0, next_renewal_at = NULL, renewal_failure_reason = NULL,
       renewal_failure_payment_id = NULL, updated_at = $5
     WHERE id = $1 AND current_period = $6`,
    [id, a.to, a.start, a.end, a.now, a.from],
  );
}

export interface RenewalFailure {
  id: string;
  /** The period the failed renewal was for; a stale failure (period moved on) changes nothing. */
  period: number;
  /** The failed renewal payment: counted once, whoever reports it (live request, reconciler). */
  paymentId: string;
  reason: string;
  /** No retry can help: `unpaid` now, whatever the count. */
  terminal: boolean;
  /** Seconds from this failure to the next attempt, indexed by failures so far (0-based). */
  delaysSeconds: readonly number[];
  /** Attempts per period, the first one included; the last failure makes it `unpaid`. */
  maxAttempts: number;
  now: Date;
  /**
   * When the failed renewal was sent. One sent before the period's end (an early "renew now")
   * counts nothing, however late its refusal arrives (a review rejected, or an unknown outcome
   * found declined, after the period ended).
   */
  attemptedAt: Date;
}

/**
 * Locks the subscription's row until the transaction ends. Taken before a renewal's row is
 * finished, so that a renewal of the same period starting meanwhile (its insert reads this row
 * FOR SHARE: `insertPendingPayment`) waits, then sees the finish and the retry schedule
 * together. Taken after the finish, the two would wait on each other: the insert on the
 * period's unique index, the schedule's update on the insert's share lock.
 */
export async function lockSubscription(db: Queryable, id: string): Promise<void> {
  await db.query('SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE', [id]);
}

/**
 * Counts a failed renewal and schedules the next attempt, in one statement (two resolvers of
 * one subscription cannot lose a count): `past_due` with `next_renewal_at`, or `unpaid` when
 * the failure is terminal or the attempts are spent. Only a live subscription still waiting for
 * that period, and not yet told about this payment, is touched; `undefined` otherwise. Nor one
 * whose period had not ended when the renewal was sent: a merchant's early "renew now" that
 * fails (at once, or later, refused in review) leaves a subscription paid up to its period's end as it was (`active`, nothing counted), and renew-due makes the
 * schedule's first attempt at that end (README "Renewal retries").
 */
export async function recordFailedRenewal(
  db: Queryable,
  f: RenewalFailure,
): Promise<SubscriptionRow | undefined> {
  // The payment is marked counted with it (migration 018): a card change counts a card's
  // attempts from these marks.
  const r = await db.query(
    `WITH counted AS (UPDATE subscriptions SET
       renewal_attempts = renewal_attempts + 1,
       status = CASE WHEN $4 OR renewal_attempts + 1 >= $6 THEN 'unpaid' ELSE 'past_due' END,
       next_renewal_at = CASE WHEN $4 OR renewal_attempts + 1 >= $6 THEN NULL
         ELSE $7::timestamptz + make_interval(secs => ($5::int[])[renewal_attempts + 1]) END,
       renewal_failure_reason = $3,
       renewal_failure_payment_id = $8,
       updated_at = $7
     WHERE id = $1 AND current_period = $2 - 1 AND ${LIVE} AND current_period_end <= $9
       AND renewal_failure_payment_id IS DISTINCT FROM $8
     RETURNING *),
     marked AS (
       UPDATE payments SET counted_attempt = true
       WHERE id = $8 AND EXISTS (SELECT 1 FROM counted)
     )
     SELECT * FROM counted`,
    [
      f.id,
      f.period,
      f.reason,
      f.terminal,
      [...f.delaysSeconds],
      f.maxAttempts,
      f.now,
      f.paymentId,
      f.attemptedAt,
    ],
  );
  return firstOf(SubscriptionRow, r.rows);
}

/**
 * Cancels: no renewal from now on (renew-due lists only live subscriptions, and a renewal reads
 * the status first). `shopperId` scopes it to that shopper's own. Undefined when nothing was
 * canceled: no such subscription (for that shopper), or one canceled already.
 */
export async function cancelSubscription(
  db: Queryable,
  id: string,
  now: Date,
  shopperId: string | undefined = undefined,
): Promise<SubscriptionRow | undefined> {
  const r = await db.query(
    `UPDATE subscriptions SET status = 'canceled', canceled_at = $2, next_renewal_at = NULL,
       canceled_by = CASE WHEN $3::text IS NULL THEN 'merchant' ELSE 'shopper' END,
       updated_at = $2
     WHERE id = $1 AND status <> 'canceled' AND ($3::text IS NULL OR shopper_id = $3)
     RETURNING *`,
    [id, now, shopperId ?? null],
  );
  const canceled = firstOf(SubscriptionRow, r.rows);
  // The merchant canceling one its shopper canceled already makes the cancellation the
  // merchant's: the shopper no longer takes it back (`resumeSubscription`). Its date stays.
  if (!canceled && shopperId === undefined)
    await db.query(
      `UPDATE subscriptions SET canceled_by = 'merchant', updated_at = $2
       WHERE id = $1 AND status = 'canceled' AND canceled_by = 'shopper'`,
      [id, now],
    );
  return canceled;
}

/**
 * Takes a cancellation back while the paid period runs: `active` again, renewed at its period's
 * end as before. In one statement, after the shopper's row is locked (`lockPlanPurchase`), only
 * while nothing makes it wrong: the period has not ended (after it, the shopper buys the plan
 * again); the payment that paid it, the subscription's newest approved one, was not refunded in
 * full by refunds CyberSource confirmed (the merchant gave the period back); a shopper
 * takes back only their own cancellation, not the merchant's; the shopper has no other live
 * subscription to the plan nor a purchase of it starting one (pending, unknown, under review,
 * or approved, unrefunded and not yet started); and its card is still saved and no removal
 * holds it (read `FOR SHARE`, as `insertSubscription` does: a removal either claimed it first
 * or waits and then refuses). `shopperId` scopes it to that shopper's own. Undefined when
 * nothing was resumed.
 */
export async function resumeSubscription(
  db: Database,
  id: string,
  now: Date,
  shopperId: string | undefined = undefined,
): Promise<SubscriptionRow | undefined> {
  return db.transaction(async (tx) => {
    // The shopper's row first (`lockPlanPurchase` says why), then the checks in a statement of
    // their own, which sees whatever a purchase holding it wrote.
    await tx.query(
      `SELECT 1 FROM shoppers WHERE id = (SELECT shopper_id FROM subscriptions WHERE id = $1)
       FOR UPDATE`,
      [id],
    );
    return resumeIfFree(tx, id, now, shopperId);
  });
}

async function resumeIfFree(
  db: Queryable,
  id: string,
  now: Date,
  shopperId: string | undefined,
): Promise<SubscriptionRow | undefined> {
  const r = await db.query(
    `UPDATE subscriptions s SET status = 'active', canceled_at = NULL, canceled_by = NULL,
       updated_at = $2
     WHERE s.id = $1 AND s.status = 'canceled' AND ($3::text IS NULL OR s.shopper_id = $3)
       AND ($3::text IS NULL OR s.canceled_by = 'shopper')
       AND s.current_period_end > $2
       AND ${PAID_PERIOD_KEPT}
       AND NOT EXISTS (SELECT 1 FROM subscriptions o WHERE o.shopper_id = s.shopper_id
         AND o.plan_id = s.plan_id AND o.status IN ('active', 'past_due'))
       AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.shopper_id = s.shopper_id
         AND p.item_id = s.plan_id AND p.kind = 'subscription_start'
         AND (p.status IN ('pending', 'unknown', 'review')
           OR (p.status = 'succeeded' AND p.subscription_id IS NULL AND p.refunded_amount = 0
             AND p.plan_start_given_up_at IS NULL AND p.created_at > s.canceled_at)))
       AND EXISTS (SELECT 1 FROM payment_methods m WHERE m.id = s.payment_method_id
         AND m.shopper_id = s.shopper_id AND ${cardFree('$4')} FOR SHARE)
     RETURNING s.*`,
    [id, now, shopperId ?? null, removalCutoff(now)],
  );
  return firstOf(SubscriptionRow, r.rows);
}

/**
 * For a plan's purchase, inside the transaction that writes its pending row: holds the shopper's
 * row `FOR SHARE` until that row is committed, then reads whether they have a live subscription
 * to the plan. A resume takes the same row `FOR UPDATE` before its checks, so the two are
 * ordered: a resume committed first is seen here (the purchase is refused, nothing charged), and
 * one coming after waits and then sees this purchase's pending row (it is refused). Without it,
 * a purchase and a resume of the same plan at the same moment (two tabs) could both pass their
 * checks and leave two live subscriptions.
 */
export async function lockPlanPurchase(
  db: Queryable,
  shopperId: string,
  planId: string,
): Promise<{ live: boolean }> {
  await db.query('SELECT 1 FROM shoppers WHERE id = $1 FOR SHARE', [shopperId]);
  const r = await db.query(`SELECT ${LIVE_TO_PLAN} AS live`, [shopperId, planId]);
  return { live: (r.rows[0] as { live?: boolean } | undefined)?.live === true };
}

/**
 * SQL, on subscription `s`: the payment that paid its current period (its newest approved one,
 * the first payment or a renewal) was not refunded in full. Only refunds CyberSource confirmed
 * count: `refunded_amount` includes one whose answer was lost, which the reconciler may find
 * never happened (the shopper told "refunded, buy again" would pay twice for the period).
 */
const PAID_PERIOD_KEPT = `COALESCE((SELECT p.refunded_amount - COALESCE((SELECT SUM(r.amount)
    FROM refunds r WHERE r.payment_id = p.id AND r.status IN ('pending', 'unknown')), 0) < p.amount
  FROM payments p WHERE p.subscription_id = s.id AND p.status = 'succeeded'
  ORDER BY p.created_at DESC, p.id DESC LIMIT 1), true)`;

/** Whether `resumeSubscription` finds the payment of the current period refunded in full. */
export async function paidPeriodRefunded(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query(
    `SELECT NOT ${PAID_PERIOD_KEPT} AS refunded FROM subscriptions s WHERE s.id = $1`,
    [id],
  );
  return (r.rows[0] as { refunded?: boolean } | undefined)?.refunded === true;
}

/** The saved card a subscription moves to, with the stored credential its renewals cite. */
export interface SubscriptionCard {
  paymentMethodId: string;
  customerId: string;
  /** The card's own first customer-initiated payment (`checkout/stored-credential.ts`). */
  networkTransactionId: string;
  /** That payment's amount. */
  citedAmount: number;
  /**
   * Its brand and last four: a card's attempts of the period count by them too, so a card removed
   * and saved again (a new saved-card row; TMS deleted its instrument identifier with it) is the
   * same card.
   */
  brand: string;
  last4: string;
}

const RenewalsOfPeriod = z.object({
  in_flight: z.number().int(),
  tried: z.number().int(),
  last_tried_at: z.coerce.date().nullable(),
});

export type CardChange =
  | { changed: SubscriptionRow }
  /** Not this shopper's (or no such subscription). */
  | { refused: 'not_found' }
  /** Canceled or unpaid: nothing renews any more. */
  | { refused: 'ended' }
  /** A renewal of the next period is pending, its outcome unknown or held for review. */
  | { refused: 'renewal_in_flight' }
  /** Not the shopper's card, or a removal holds it. */
  | { refused: 'card_not_found' };

/**
 * Moves a live subscription onto another of the shopper's saved cards. The retry schedule
 * (README "Renewal retries") spares one card repeated charges, so it counts per card (by its
 * brand and last four too: a card removed and saved again is the same card): the
 * attempts become the new card's own failed renewals of the period (after the period's end:
 * an early "renew now" counts nothing), and a past-due subscription moved onto a card not yet
 * tried is due again at once; moved back onto a card already tried, it keeps its next attempt
 * and takes up that card's count, so no card is charged more times in a period than the
 * schedule allows (a shopper switching back and forth never resets it).
 * The subscription's row lock first, then the checks, each its own statement in one
 * transaction (as `claimRemoval`, for the same reason): a renewal writing its row (which reads
 * the subscription's card `FOR SHARE`, `insertPendingPayment`) either committed before the
 * check, which then refuses, or waits and then finds the card changed and charges nothing. The
 * new card is read `FOR SHARE`, so a removal either claimed it first or waits and then sees the
 * subscription on it.
 */
export async function changeSubscriptionCard(
  db: Database,
  id: string,
  shopperId: string,
  card: SubscriptionCard,
  now: Date,
  /** The retry schedule's waits after each failure (`renewal-retries.ts`). */
  delaysSeconds: readonly number[],
): Promise<CardChange> {
  return db.transaction(async (tx) => {
    const sub = firstOf(
      SubscriptionRow,
      (
        await tx.query('SELECT * FROM subscriptions WHERE id = $1 AND shopper_id = $2 FOR UPDATE', [
          id,
          shopperId,
        ])
      ).rows,
    );
    if (!sub) return { refused: 'not_found' };
    if (sub.status !== 'active' && sub.status !== 'past_due') return { refused: 'ended' };
    if (sub.payment_method_id === card.paymentMethodId) return { changed: sub };
    const renewals = RenewalsOfPeriod.parse(
      (
        await tx.query(
          `SELECT count(*) FILTER (WHERE status IN ('pending', 'unknown', 'review'))::int
               AS in_flight,
             count(*) FILTER (WHERE counted_attempt AND (payment_method_id = $3
               OR (card_brand = $4 AND card_last4 = $5)))::int AS tried,
             max(updated_at) FILTER (WHERE counted_attempt AND (payment_method_id = $3
               OR (card_brand = $4 AND card_last4 = $5))) AS last_tried_at
           FROM payments WHERE subscription_id = $1 AND kind = 'renewal' AND period = $2`,
          [id, sub.current_period + 1, card.paymentMethodId, card.brand, card.last4],
        )
      ).rows[0],
    );
    if (renewals.in_flight > 0) return { refused: 'renewal_in_flight' };
    // Past due: a card not tried yet this period is due at once; one tried is due when the
    // schedule says after its own last failure, never at the time set for the card it leaves
    // (A → B → A would otherwise charge A again at once, B having been due now).
    const { tried, last_tried_at: last } = renewals;
    const wait = tried > 0 ? delaysSeconds[tried - 1] : undefined;
    const next =
      sub.status !== 'past_due'
        ? null
        : tried === 0
          ? now
          : last && wait !== undefined
            ? new Date(last.getTime() + wait * 1000)
            : null;
    const r = await tx.query(
      `UPDATE subscriptions SET payment_method_id = $2, customer_id = $3,
         network_transaction_id = $4, cited_amount = $5, renewal_attempts = $9,
         next_renewal_at = COALESCE($10, next_renewal_at), updated_at = $6
       WHERE id = $1 AND EXISTS (
         SELECT 1 FROM payment_methods WHERE id = $2 AND shopper_id = $7
           AND ${cardFree('$8')} FOR SHARE
       )
       RETURNING *`,
      [
        id,
        card.paymentMethodId,
        card.customerId,
        card.networkTransactionId,
        card.citedAmount,
        now,
        shopperId,
        removalCutoff(now),
        tried,
        next,
      ],
    );
    const changed = firstOf(SubscriptionRow, r.rows);
    return changed ? { changed } : { refused: 'card_not_found' };
  });
}

/** One shopper's subscriptions, newest first, every status. */
export async function listShopperSubscriptions(
  db: Queryable,
  shopperId: string,
  limit: number,
): Promise<SubscriptionRow[]> {
  return rowsOf(
    SubscriptionRow,
    (
      await db.query(
        `SELECT * FROM subscriptions WHERE shopper_id = $1
         ORDER BY created_at DESC, id DESC LIMIT $2`,
        [shopperId, limit],
      )
    ).rows,
  );
}

/** Newest first; `startingAfter` continues after a row, as `listPayments` does. */
export async function listSubscriptions(
  db: Queryable,
  q: {
    limit: number;
    status?: SubscriptionStatus | undefined;
    startingAfter?: { createdAt: Date; id: string } | undefined;
  },
): Promise<SubscriptionRow[]> {
  const r = await db.query(
    `SELECT * FROM subscriptions
     WHERE ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3, $4::text))
     ORDER BY created_at DESC, id DESC LIMIT $1`,
    [q.limit, q.status ?? null, q.startingAfter?.createdAt ?? null, q.startingAfter?.id ?? null],
  );
  return rowsOf(SubscriptionRow, r.rows);
}

/**
 * Subscriptions due for a renewal attempt (for `renew-due`): the paid period has ended and the
 * retry schedule allows an attempt now. One whose next-period renewal is still unresolved
 * (pending, unknown, or held for review) is the reconciler's, not renew-due's. Read in the
 * order of migration 023's index, up to `limit`: the `COALESCE(…) <= $1` the other two
 * conditions imply is what lets the scan stop there, where it sorted every subscription whose
 * period had ended.
 */
export async function listDueSubscriptions(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<SubscriptionRow[]> {
  return rowsOf(
    SubscriptionRow,
    (
      await db.query(
        `SELECT s.* FROM subscriptions s
         WHERE s.${LIVE} AND COALESCE(s.next_renewal_at, s.current_period_end) <= $1
           AND s.current_period_end <= $1 AND (s.next_renewal_at IS NULL OR s.next_renewal_at <= $1)
           AND NOT EXISTS (
             SELECT 1 FROM payments p
             WHERE p.subscription_id = s.id AND p.kind = 'renewal' AND p.period = s.current_period + 1
               AND p.status IN ('pending', 'unknown', 'review'))
         ORDER BY COALESCE(s.next_renewal_at, s.current_period_end) LIMIT $2`,
        [now, limit],
      )
    ).rows,
  );
}

/** Live subscriptions (active or past due) whose renewals charge this saved card. */
export async function listLiveSubscriptionsPaidBy(
  db: Queryable,
  paymentMethodId: string,
): Promise<SubscriptionRow[]> {
  return rowsOf(
    SubscriptionRow,
    (
      await db.query(
        `SELECT * FROM subscriptions WHERE payment_method_id = $1 AND ${LIVE}
         ORDER BY created_at`,
        [paymentMethodId],
      )
    ).rows,
  );
}
