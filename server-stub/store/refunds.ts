/**
 * @module Refund rows. The amount is reserved on the payment (`refunded_amount`) in the same
 * transaction that checks it, so concurrent refunds can never exceed captured − refunded.
 */
import { z } from 'zod';
import type { Queryable } from './database.ts';
import { firstOf, RefundRow, type RefundStatus, rowsOf } from './rows.ts';

const UnresolvedRow = z.object({ payment_id: z.string(), amount: z.number().int() });

export interface NewRefund {
  id: string;
  paymentId: string;
  amount: number;
  transactionId: string;
  createdAt: Date;
}

export async function insertPendingRefund(db: Queryable, r: NewRefund): Promise<void> {
  await db.query(
    `INSERT INTO refunds (id, payment_id, amount, status, transaction_id, created_at, updated_at)
     VALUES ($1, $2, $3, 'pending', $4, $5, $5)`,
    [r.id, r.paymentId, r.amount, r.transactionId, r.createdAt],
  );
}

/** Finishes a refund; with `onlyIf`, only while it still has one of those statuses (see `finishPayment`). */
export async function finishRefund(
  db: Queryable,
  id: string,
  status: RefundStatus,
  extra: { cybersourceId?: string | undefined; failureReason?: string | undefined },
  now: Date,
): Promise<RefundRow>;
export async function finishRefund(
  db: Queryable,
  id: string,
  status: RefundStatus,
  extra: { cybersourceId?: string | undefined; failureReason?: string | undefined },
  now: Date,
  onlyIf: readonly RefundStatus[],
): Promise<RefundRow | undefined>;
export async function finishRefund(
  db: Queryable,
  id: string,
  status: RefundStatus,
  extra: { cybersourceId?: string | undefined; failureReason?: string | undefined },
  now: Date,
  onlyIf?: readonly RefundStatus[],
): Promise<RefundRow | undefined> {
  const res = await db.query(
    `UPDATE refunds SET status = $2, cybersource_id = COALESCE($3, cybersource_id),
       failure_reason = COALESCE($4, failure_reason), updated_at = $5
     WHERE id = $1 AND ($6::text[] IS NULL OR status = ANY($6::text[])) RETURNING *`,
    [
      id,
      status,
      extra.cybersourceId ?? null,
      extra.failureReason ?? null,
      now,
      onlyIf === undefined ? null : [...onlyIf],
    ],
  );
  const row = firstOf(RefundRow, res.rows);
  if (!row && onlyIf === undefined) throw new Error(`refund ${id} not found`);
  return row;
}

export async function findRefund(db: Queryable, id: string): Promise<RefundRow | undefined> {
  return firstOf(RefundRow, (await db.query('SELECT * FROM refunds WHERE id = $1', [id])).rows);
}

/** Refunds whose outcome is not known yet, untouched since `before` (see `listUnknownPayments`). */
export async function listUnknownRefunds(
  db: Queryable,
  limit: number,
  before: { unknown: Date; pending: Date },
): Promise<RefundRow[]> {
  const r = await db.query(
    `SELECT * FROM refunds
     WHERE (status = 'unknown' AND updated_at <= $2) OR (status = 'pending' AND updated_at <= $3)
     ORDER BY updated_at LIMIT $1`,
    [limit, before.unknown, before.pending],
  );
  return rowsOf(RefundRow, r.rows);
}

/** As `touchUnresolvedPayment`, for a refund. */
export async function touchUnresolvedRefund(db: Queryable, id: string, now: Date): Promise<void> {
  await db.query(
    `UPDATE refunds SET updated_at = $2 WHERE id = $1 AND status IN ('pending', 'unknown')`,
    [id, now],
  );
}

export async function listRefunds(db: Queryable, paymentId: string): Promise<RefundRow[]> {
  return rowsOf(
    RefundRow,
    (await db.query('SELECT * FROM refunds WHERE payment_id = $1 ORDER BY created_at', [paymentId]))
      .rows,
  );
}

/**
 * Of each payment's refunded amount, the part not confirmed yet (refunds `pending` or
 * `unknown`: the amount is held against the payment until the reconciler settles them), by
 * payment id; payments with none are absent. One query for a page of the merchant's list.
 */
export async function unresolvedRefundAmounts(
  db: Queryable,
  paymentIds: readonly string[],
): Promise<Map<string, number>> {
  if (paymentIds.length === 0) return new Map();
  const r = await db.query(
    `SELECT payment_id, SUM(amount)::integer AS amount FROM refunds
     WHERE payment_id = ANY($1::text[]) AND status IN ('pending', 'unknown')
     GROUP BY payment_id`,
    [paymentIds],
  );
  return new Map(rowsOf(UnresolvedRow, r.rows).map((row) => [row.payment_id, row.amount]));
}
