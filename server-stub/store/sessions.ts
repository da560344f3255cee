/**
 * @module Checkout sessions: the verified capture context, kept server-side under our own id,
 * and the transient tokens already spent (RELIABILITY-FACTS §3.4).
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

export async function insertSession(db: Queryable, s: NewSession): Promise<void> {
  await db.query(
    `INSERT INTO checkout_sessions (id, shopper_id, capture_context, flx_jwk, target_origins, flex_key_id, created_at, expires_at)
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

/** Marks a transient token spent; false when it already was (one payment per token). */
export async function spendTransientToken(
  db: Queryable,
  jti: string,
  sessionId: string,
  now: Date,
): Promise<boolean> {
  const r = await db.query(
    'INSERT INTO used_transient_tokens (jti, session_id, used_at) VALUES ($1, $2, $3) ON CONFLICT (jti) DO NOTHING',
    [jti, sessionId, now],
  );
  return r.affectedRows === 1;
}

export async function setSessionFlexKey(db: Queryable, id: string, keyId: string): Promise<void> {
  await db.query('UPDATE checkout_sessions SET flex_key_id = $2 WHERE id = $1', [id, keyId]);
}

/**
 * Whether the session already has a payment whose outcome is not known (pending or unknown).
 * Locks the session row first, so two attempts in one session cannot both see none.
 */
export async function sessionHasPaymentInProgress(
  db: Queryable,
  sessionId: string,
): Promise<boolean> {
  await db.query('SELECT id FROM checkout_sessions WHERE id = $1 FOR UPDATE', [sessionId]);
  const r = await db.query(
    `SELECT 1 FROM payments WHERE session_id = $1 AND status IN ('pending', 'unknown') LIMIT 1`,
    [sessionId],
  );
  return r.rows.length > 0;
}
