/**
 * @module Idempotency keys in the database, so the first result is replayed across processes
 * too (RELIABILITY-FACTS §2: store the result with a hash of the request; 422 for a different
 * body; 409 while in flight).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import type { Queryable } from './database.ts';
import { firstOf, IdempotencyRow, rowsOf } from './rows.ts';

export type Claim =
  | { outcome: 'claimed' }
  | { outcome: 'in_flight'; requestHash: string }
  /** Claimed and given back under our feet again and again: still busy, ask again later. */
  | { outcome: 'contended' }
  /** Answered more than a day ago; the answer is gone (`expireAnsweredKeys`). */
  | { outcome: 'expired'; requestHash: string }
  | { outcome: 'done'; requestHash: string; status: number; body: unknown };

/**
 * Takes the key for this request, or reports who has it. One INSERT decides the race. A key
 * given back between the INSERT and the read (`releaseKey`: a 429 that never started) is taken
 * again, a bounded number of times.
 */
export async function claimKey(
  db: Queryable,
  scope: string,
  key: string,
  requestHash: string,
  now: Date,
): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, status, created_at)
       VALUES ($1, $2, $3, 'in_flight', $4) ON CONFLICT (scope, key) DO NOTHING`,
      [scope, key, requestHash, now],
    );
    if (inserted.affectedRows === 1) return { outcome: 'claimed' };
    const claim = await readKey(db, scope, key);
    if (claim) return claim;
  }
  return { outcome: 'contended' };
}

/** Undefined: no such key (never claimed, or given back). */
async function readKey(db: Queryable, scope: string, key: string): Promise<Claim | undefined> {
  const row = firstOf(
    IdempotencyRow,
    (await db.query('SELECT * FROM idempotency_keys WHERE scope = $1 AND key = $2', [scope, key]))
      .rows,
  );
  if (!row) return undefined;
  if (row.status === 'expired') return { outcome: 'expired', requestHash: row.request_hash };
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
  /** Deleted, not kept as a tombstone, once its answer expires (`expireAnsweredKeys`). */
  { forgettable = false }: { forgettable?: boolean } = {},
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET status = 'done', response_status = $3, response_body = $4, completed_at = $5,
       forgettable = $6
     WHERE scope = $1 AND key = $2`,
    [scope, key, status, JSON.stringify(body), now, forgettable],
  );
}

/**
 * A running request's sign of life: `created_at` of a key in flight is when it was last known
 * alive, which is what `releaseOrphanKeys` and `staleLinkedKeys` age it by.
 */
export async function touchKey(
  db: Queryable,
  scope: string,
  key: string,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE idempotency_keys SET created_at = $3 WHERE scope = $1 AND key = $2 AND status = 'in_flight'`,
    [scope, key, now],
  );
}

/** The key whose request is running; set by the HTTP layer around the request's work. */
export interface HeldKey {
  scope: string;
  key: string;
}

const heldKey = new AsyncLocalStorage<HeldKey>();

/** Runs `fn` with `key` as the idempotency key of the request (read by `linkHeldKey`). */
export function withHeldKey<T>(key: HeldKey, fn: () => Promise<T>): Promise<T> {
  return heldKey.run(key, fn);
}

/**
 * Runs `fn` outside the request's key: work that creates many payments under one request (a
 * renew-due run) must not link the key to any one of them, or the reconciler would answer the
 * run's key with that one renewal.
 */
export function withoutHeldKey<T>(fn: () => Promise<T>): Promise<T> {
  return heldKey.exit(fn);
}

/** The Idempotency-Key of the running request; undefined outside a keyed request. */
export function currentHeldKey(): HeldKey | undefined {
  return heldKey.getStore();
}

/**
 * Records which payment or refund the running request creates, before its pending row is
 * written, so the reconciler can answer the key when that row is resolved (RELIABILITY-FACTS
 * §3.6; migration 002). A no-op outside a keyed request (renew-due, tests calling flows directly).
 */
export async function linkHeldKey(db: Queryable, resourceId: string): Promise<void> {
  const held = heldKey.getStore();
  if (!held) return;
  await db.query('UPDATE idempotency_keys SET resource_id = $3 WHERE scope = $1 AND key = $2', [
    held.scope,
    held.key,
    resourceId,
  ]);
}

const ResourceRow = z.object({ resource_id: z.string() });

const LinkedKey = z.object({
  scope: z.string(),
  key: z.string(),
  status: z.enum(['in_flight', 'done', 'expired']),
  response_status: z.number().int().nullable(),
  response_body: z.unknown(),
});
export type LinkedKey = z.infer<typeof LinkedKey>;

export async function keysForResource(db: Queryable, resourceId: string): Promise<LinkedKey[]> {
  const r = await db.query(
    'SELECT scope, key, status, response_status, response_body FROM idempotency_keys WHERE resource_id = $1',
    [resourceId],
  );
  return rowsOf(LinkedKey, r.rows);
}

/**
 * SQL: the payment or refund row the key `k` was linked to exists (`resource_id` names one once
 * the flow has started writing it; `linkHeldKey`).
 */
const linkedRowExists = (k: string) =>
  `(EXISTS (SELECT 1 FROM payments p WHERE p.id = ${k}.resource_id)
     OR EXISTS (SELECT 1 FROM refunds f WHERE f.id = ${k}.resource_id))`;

/**
 * Deletes keys a dead request left `in_flight` that never got as far as creating a payment or
 * refund (no linked row exists), once they are older than any live request can be: nothing
 * was sent upstream for them, so a retry with the same key may run again.
 */
export async function releaseOrphanKeys(db: Queryable, olderThan: Date): Promise<number> {
  const r = await db.query(
    `DELETE FROM idempotency_keys k WHERE k.status = 'in_flight' AND k.created_at < $1
       AND NOT ${linkedRowExists('k')}`,
    [olderThan],
  );
  return r.affectedRows;
}

/**
 * Keys still `in_flight` long after their request must have ended, or answered 500 after their
 * row was written (the reconciler replaces that answer, `reconcile/answers.ts`), with the row
 * they created.
 */
export async function staleLinkedKeys(
  db: Queryable,
  olderThan: Date,
  limit: number,
): Promise<{ resourceId: string }[]> {
  const r = await db.query(
    `SELECT DISTINCT k.resource_id FROM idempotency_keys k
     WHERE (k.status = 'in_flight'
         OR (k.status = 'done' AND k.response_status = 500 AND ${linkedRowExists('k')}))
       AND k.resource_id IS NOT NULL AND k.created_at < $1 LIMIT $2`,
    [olderThan, limit],
  );
  return rowsOf(ResourceRow, r.rows).map((row) => ({
    resourceId: row.resource_id,
  }));
}

/** Forgets a claimed key whose request never started (refused by a card-testing limit). */
export async function releaseKey(db: Queryable, scope: string, key: string): Promise<void> {
  await db.query(
    `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 'in_flight'`,
    [scope, key],
  );
}

/**
 * Expires answered keys older than `olderThan` (RELIABILITY-FACTS §2.1: Stripe keeps a key's
 * answer at least 24 hours), at most `limit` of each kind per call: the stored answer goes, and
 * the key stays as a small tombstone that answers a reuse with `idempotency_key_expired`. Never
 * deleted: a key that came back as a new request could charge again for an attempt the shopper
 * was told is being confirmed. A forgettable one (a checkout session's: `Outcome.forgettable`)
 * is deleted instead, as a reuse runs a request that moves no money. A provisional answer (202:
 * outcome unknown, under review; a 500 linked to a payment or refund row it wrote) stays until
 * the reconciler has answered it for good; a 500 whose row was never written has nothing to
 * wait for and expires like any answer.
 */
export async function expireAnsweredKeys(
  db: Queryable,
  olderThan: Date,
  limit: number,
): Promise<number> {
  const answered = `status = 'done' AND completed_at < $1 AND response_status <> 202
         AND NOT (response_status = 500 AND ${linkedRowExists('k')})`;
  const forgotten = await db.query(
    `DELETE FROM idempotency_keys WHERE (scope, key) IN (
       SELECT scope, key FROM idempotency_keys k WHERE ${answered} AND forgettable LIMIT $2)`,
    [olderThan, limit],
  );
  const r = await db.query(
    `UPDATE idempotency_keys SET status = 'expired', response_body = NULL
     WHERE (scope, key) IN (
       SELECT scope, key FROM idempotency_keys k WHERE ${answered} AND NOT forgettable LIMIT $2)`,
    [olderThan, limit],
  );
  return forgotten.affectedRows + r.affectedRows;
}
