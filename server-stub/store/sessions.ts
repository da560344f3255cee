/**
 * @module Checkout sessions: the verified capture context, kept server-side under our own id
 * (RELIABILITY-FACTS §3.4). Transient tokens are spent with the pending payment
 * (`payments.ts`).
 */
import type { Queryable } from './database.ts';
import { firstOf, type Jwk, SessionRow } from './rows.ts';

export interface NewSession {
  id: string;
  shopperId: string;
  captureContext: string;
  flxJwk: Jwk;
  targetOrigins: string[];
  flexKeyId: string | undefined;
  createdAt: Date;
  expiresAt: Date;
}

/** Writes the session, and its shopper if new, in one statement (one round trip). */
export async function insertSession(db: Queryable, s: NewSession): Promise<void> {
  await db.query(
    `WITH shopper AS (
       INSERT INTO shoppers (id, created_at) VALUES ($2, $7) ON CONFLICT (id) DO NOTHING
     )
     INSERT INTO checkout_sessions (id, shopper_id, capture_context, flx_jwk, target_origins, flex_key_id, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      s.id,
      s.shopperId,
      s.captureContext,
      JSON.stringify(s.flxJwk),
      JSON.stringify(s.targetOrigins),
      s.flexKeyId ?? null,
      s.createdAt,
      s.expiresAt,
    ],
  );
}

export async function findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
  return firstOf(
    SessionRow,
    (await db.query('SELECT * FROM checkout_sessions WHERE id = $1', [id])).rows,
  );
}

/**
 * The shopper's newest session started after `since`, for the same target origins, that no
 * payment has spent a transient token of (every new-card payment spends one with its pending
 * row, declined or not: `payments.ts`), if any. Indexed by shopper (migration 016) and by
 * spent token's session (015).
 */
export async function findUnpaidSession(
  db: Queryable,
  shopperId: string,
  since: Date,
  targetOrigins: string[],
): Promise<SessionRow | undefined> {
  return firstOf(
    SessionRow,
    (
      await db.query(
        `SELECT * FROM checkout_sessions s
         WHERE s.shopper_id = $1 AND s.created_at > $2 AND s.target_origins = $3::jsonb
           AND NOT EXISTS (SELECT 1 FROM used_transient_tokens t WHERE t.session_id = s.id)
         ORDER BY s.created_at DESC LIMIT 1`,
        [shopperId, since, JSON.stringify(targetOrigins)],
      )
    ).rows,
  );
}

export async function setSessionFlexKey(db: Queryable, id: string, keyId: string): Promise<void> {
  await db.query('UPDATE checkout_sessions SET flex_key_id = $2 WHERE id = $1', [id, keyId]);
}

/**
 * Forgets spent transient tokens older than `olderThan`, at most `limit` per call. A token
 * lives 15 minutes (its `exp`, checked before the spend), so after a day its row stops nothing.
 */
export async function forgetSpentTokens(
  db: Queryable,
  olderThan: Date,
  limit: number,
): Promise<number> {
  const r = await db.query(
    `DELETE FROM used_transient_tokens WHERE jti IN (
       SELECT jti FROM used_transient_tokens WHERE used_at < $1 LIMIT $2)`,
    [olderThan, limit],
  );
  return r.affectedRows;
}

/**
 * Deletes sessions that expired before `olderThan`, at most `limit` per call, once no spent
 * token of theirs is remembered (`forgetSpentTokens`, a day after the spend). Nothing needs one
 * by then: a payment is refused on an expired session, and Microform will not tokenize with an
 * expired capture context, so the widget has started a new session long before. A payment
 * naming a forgotten session is answered `session_not_found`; payments keep their session id.
 */
export async function forgetExpiredSessions(
  db: Queryable,
  olderThan: Date,
  limit: number,
): Promise<number> {
  const r = await db.query(
    `DELETE FROM checkout_sessions WHERE id IN (
       SELECT s.id FROM checkout_sessions s
       WHERE s.expires_at < $1
         AND NOT EXISTS (SELECT 1 FROM used_transient_tokens t WHERE t.session_id = s.id)
       LIMIT $2)`,
    [olderThan, limit],
  );
  return r.affectedRows;
}
