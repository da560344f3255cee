/**
 * @module Subscriptions: a plan bought with a stored credential, renewed by the merchant
 * (merchant-initiated, API-FACTS §2.4) once per period.
 */
import type { PlanInterval } from '../config/catalog.ts';
import type { Queryable } from './database.ts';
import { firstOf, rowsOf, SubscriptionRow, type SubscriptionStatus } from './rows.ts';

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
  networkTransactionId: string;
  periodStart: Date;
  periodEnd: Date;
  createdAt: Date;
}

export async function insertSubscription(
  db: Queryable,
  s: NewSubscription,
): Promise<SubscriptionRow> {
  const r = await db.query(
    `INSERT INTO subscriptions (id, shopper_id, plan_id, customer_id, payment_method_id, amount, currency, interval,
       interval_count, status, network_transaction_id, current_period, current_period_start, current_period_end,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, 1, $11, $12, $13, $13) RETURNING *`,
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
      s.networkTransactionId,
      s.periodStart,
      s.periodEnd,
      s.createdAt,
    ],
  );
  const row = firstOf(SubscriptionRow, r.rows);
  if (!row) throw new Error('subscription insert returned nothing');
  return row;
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

/** Moves to the next period after a successful renewal of `period`; no-op if already moved. */
export async function advancePeriod(
  db: Queryable,
  id: string,
  period: number,
  start: Date,
  end: Date,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE subscriptions SET current_period = $2, current_period_start = $3, current_period_end = $4,
       status = 'active', updated_at = $5
     WHERE id = $1 AND current_period = $2 - 1`,
    [id, period, start, end, now],
  );
}

export async function setSubscriptionStatus(
  db: Queryable,
  id: string,
  status: SubscriptionStatus,
  now: Date,
): Promise<void> {
  await db.query('UPDATE subscriptions SET status = $2, updated_at = $3 WHERE id = $1', [
    id,
    status,
    now,
  ]);
}

export async function listSubscriptions(db: Queryable, limit: number): Promise<SubscriptionRow[]> {
  return rowsOf(
    SubscriptionRow,
    (
      await db.query('SELECT * FROM subscriptions ORDER BY created_at DESC, id DESC LIMIT $1', [
        limit,
      ])
    ).rows,
  );
}

/** Subscriptions whose paid period has ended (for `renew-due`). */
export async function listDueSubscriptions(
  db: Queryable,
  now: Date,
  limit: number,
): Promise<SubscriptionRow[]> {
  return rowsOf(
    SubscriptionRow,
    (
      await db.query(
        `SELECT * FROM subscriptions WHERE status IN ('active', 'past_due') AND current_period_end <= $1
         ORDER BY current_period_end LIMIT $2`,
        [now, limit],
      )
    ).rows,
  );
}
