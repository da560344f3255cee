/**
 * @module Decline caps in the database (RELIABILITY-FACTS §4: limit authorizations per session,
 * per card and per IP; trip a breaker on decline velocity). A charge first reserves a row, then
 * the row becomes `declined` or is deleted. Pending rows count like declines, so many parallel
 * attempts cannot all pass the check before the first decline is written (ASVS 11.1.6, no
 * TOCTOU): the check and the reservation are one statement, under one advisory lock where the
 * database has several connections.
 */
import { z } from 'zod';
import type { Queryable } from '../store/database.ts';
import type { CardTestingLimits } from './rules.ts';

export interface ChargeAttempt {
  sessionId: string | undefined;
  sessionExpiresAt: Date | undefined;
  shopperId: string;
  clientIp: string | undefined;
  /** From `card-key.ts`. */
  cardKey: string;
}

export type DeclineScope = 'session' | 'card' | 'shopper' | 'ip';

export type Reservation =
  | { ok: true; id: string }
  | { ok: false; scope: DeclineScope; retryAfterSeconds: number };

interface ScopeCheck {
  scope: DeclineScope;
  column: 'session_id' | 'card_key' | 'shopper_id' | 'client_ip';
  value: string;
  max: number;
  /** Undefined: the whole life of the key (a checkout session). */
  windowMs: number | undefined;
}

const LOCK_ID = 4_104_043;
const DAY_MS = 86_400_000;
/**
 * Expired rows a reservation deletes at most. It inserts at most one, so the table still drains;
 * and a payment, holding the lock every other payment waits for, never pays for a whole burst
 * of attempts that left the window since the one before it (40,000 rows of an hour's attack a
 * day ago: 50 to 840 ms of deletes on one shopper's payment, where 100 take about 1 ms).
 */
const PRUNE_BATCH = 100;

function checksFor(limits: CardTestingLimits, a: ChargeAttempt): ScopeCheck[] {
  const checks: ScopeCheck[] = [];
  if (limits.declinesPerSession !== undefined && a.sessionId !== undefined) {
    checks.push({
      scope: 'session',
      column: 'session_id',
      value: a.sessionId,
      max: limits.declinesPerSession,
      windowMs: undefined,
    });
  }
  const windowed: [
    DeclineScope,
    ScopeCheck['column'],
    string | undefined,
    typeof limits.declinesPerCard,
  ][] = [
    ['card', 'card_key', a.cardKey, limits.declinesPerCard],
    ['shopper', 'shopper_id', a.shopperId, limits.declinesPerShopper],
    ['ip', 'client_ip', a.clientIp, limits.declinesPerIp],
  ];
  for (const [scope, column, value, rule] of windowed) {
    if (rule && value !== undefined) {
      checks.push({ scope, column, value, max: rule.max, windowMs: rule.windowMs });
    }
  }
  return checks;
}

/** How long rows are kept: the longest window, and at least a day (longer than any session). */
function keepMs(limits: CardTestingLimits): number {
  const windows = [limits.declinesPerCard, limits.declinesPerShopper, limits.declinesPerIp];
  return Math.max(DAY_MS, ...windows.map((r) => r?.windowMs ?? 0));
}

/** Seconds until a scope whose cap is reached admits again (at least 1). */
function waitSeconds(check: ScopeCheck, capAt: Date, a: ChargeAttempt, now: Date): number {
  const until =
    check.windowMs === undefined
      ? (a.sessionExpiresAt?.getTime() ?? now.getTime())
      : capAt.getTime() + check.windowMs;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

const Reserved = z.object({ id: z.coerce.string().nullable() }).catchall(z.unknown());

/**
 * Reserves a charge attempt, or says which cap it hits and for how long. Runs inside the
 * caller's transaction (the one that writes the pending payment, so a refusal or a later
 * rollback leaves nothing behind) as one statement: per scope, the max-th newest counted
 * attempt (while it is in the window, that scope is at its cap); the reservation only when no
 * scope is; and the oldest rows older than any window go, `PRUNE_BATCH` at most. `serialize`
 * takes the advisory lock first, so on a server with several connections the check and the
 * insert cannot interleave with another process's (a statement's snapshot is taken after the lock, READ COMMITTED); the
 * embedded database serves one connection, where transactions never interleave.
 */
export async function reserveCharge(
  tx: Queryable,
  serialize: boolean,
  limits: CardTestingLimits,
  a: ChargeAttempt,
  now: Date,
): Promise<Reservation> {
  if (serialize) await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
  const checks = checksFor(limits, a);
  const params: unknown[] = [];
  const p = (value: unknown) => `$${params.push(value)}`;
  const caps = checks.map((check, i) => {
    const window =
      check.windowMs === undefined
        ? ''
        : ` AND at > ${p(new Date(now.getTime() - check.windowMs))}`;
    return `(SELECT at FROM charge_attempts WHERE ${check.column} = ${p(check.value)}${window}
      ORDER BY at DESC OFFSET ${p(check.max - 1)} LIMIT 1) AS cap${i}`;
  });
  const admits = checks.map((_, i) => `cap${i} IS NULL`).join(' AND ') || 'true';
  const r = await tx.query(
    `WITH caps AS (SELECT ${caps.join(', ') || '1 AS none'}),
     expired AS (DELETE FROM charge_attempts WHERE id IN (
       SELECT id FROM charge_attempts WHERE at < ${p(new Date(now.getTime() - keepMs(limits)))}
       ORDER BY at LIMIT ${p(PRUNE_BATCH)})),
     reserved AS (
       INSERT INTO charge_attempts (status, session_id, shopper_id, client_ip, card_key, at)
       SELECT 'pending', ${p(a.sessionId ?? null)}, ${p(a.shopperId)}, ${p(a.clientIp ?? null)},
         ${p(a.cardKey)}, ${p(now)} FROM caps WHERE ${admits}
       RETURNING id)
     SELECT caps.*, (SELECT id FROM reserved) AS id FROM caps`,
    params,
  );
  const row = Reserved.parse(r.rows[0]);
  if (row.id !== null) return { ok: true, id: row.id };
  let worst: Reservation | undefined;
  checks.forEach((check, i) => {
    const capAt = row[`cap${i}`];
    if (capAt === null || capAt === undefined) return;
    const wait = waitSeconds(check, z.coerce.date().parse(capAt), a, now);
    if (worst === undefined || (!worst.ok && wait > worst.retryAfterSeconds)) {
      worst = { ok: false, scope: check.scope, retryAfterSeconds: wait };
    }
  });
  if (!worst) throw new Error('charge attempt neither reserved nor refused');
  return worst;
}

/** A declined attempt keeps counting; any other outcome stops counting. */
export async function settleCharge(db: Queryable, id: string, declined: boolean): Promise<void> {
  if (declined) {
    await db.query(`UPDATE charge_attempts SET status = 'declined' WHERE id = $1`, [id]);
  } else {
    await db.query('DELETE FROM charge_attempts WHERE id = $1', [id]);
  }
}
