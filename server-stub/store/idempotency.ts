/**
 * @module Idempotency keys in the database, so the first result is replayed across processes
 * too (RELIABILITY-FACTS §2: store the result with a hash of the request; 422 for a different
 * body; 409 while in flight).
 */
import type { Queryable } from './database.ts';
import { firstOf, IdempotencyRow } from './rows.ts';

export type Claim =
  | { outcome: 'claimed' }
  | { outcome: 'in_flight'; requestHash: string }
  | { outcome: 'done'; requestHash: string; status: number; body: unknown };

/** Takes the key for this request, or reports who has it. One INSERT decides the race. */
export async function claimKey(
  db: Queryable,
  scope: string,
  key: string,
  requestHash: string,
  now: Date,
): Promise<Claim> {
  const inserted = await db.query(
    `INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at)
     VALUES ($1, $2, $3, 'in_flight', $4) ON CONFLICT (scope, key) DO NOTHING`,
    [scope, key, requestHash, now],
  );
  if (inserted.affectedRows === 1) return { outcome: 'claimed' };
  return readKey(db, scope, key);
}

export async function readKey(db: Queryable, scope: string, key: string): Promise<Claim> {
  const row = firstOf(
    IdempotencyRow,
    (await db.query('SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]))
      .rows,
  );
  if (!row) throw new Error('idempotency row vanished');
  if (row.status === 'in_flight' || row.response_status === null) {
    return { outcome: 'in_flight', requestHash: row.request_hash };
  }
  return {
    outcome: 'done',
    requestHash: row.request_hash,
    status: row.response_status,
    body: row.response_body,
  };
}

export async function completeKey(
  db: Queryable,
  scope: string,
  key: string,
  status: number,
  body: unknown,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET status = 'done', response_status = $3, response_body = $4, completed_at = $5
     WHERE scope = $1 AND key = $2`,
    [scope, key, status, JSON.stringify(body), now],
  );
}
