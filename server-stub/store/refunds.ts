/**
 * @module Refund rows. The amount is reserved on the payment (`refunded_amount`) in the same
 * transaction that checks it, so concurrent refunds can never exceed captured − refunded.
 */
import type { Queryable } from './database.ts';
import { firstOf, RefundRow, type RefundStatus, rowsOf } from './rows.ts';

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

export async function finishRefund(
  db: Queryable,
  id: string,
  status: RefundStatus,
  extra: { cybersourceId?: string | undefined; failureReason?: string | undefined },
  now: Date,
): Promise<RefundRow> {
  const res = await db.query(
    `UPDATE refunds SET status = $2, cybersource_id = COALESCE($3, cybersource_id),
       failure_reason = COALESCE($4, failure_reason), updated_at = $5
     WHERE id = $1 RETURNING *`,
    [id, status, extra.cybersourceId ?? null, extra.failureReason ?? null, now],
  );
  const row = firstOf(RefundRow, res.rows);
  if (!row) throw new Error(`refund ${id} not found`);
  return row;
}

export async function listRefunds(db: Queryable, paymentId: string): Promise<RefundRow[]> {
  return rowsOf(
    RefundRow,
    (await db.query('SELECT * FROM refunds WHERE payment_id = $1 ORDER BY created_at', [paymentId]))
      .rows,
  );
}
