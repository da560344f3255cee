/**
 * @module Decline caps in the database (RELIABILITY-FACTS §4: limit authorizations per session,
 * per card and per IP; trip a breaker on decline velocity). A charge first reserves a row, then
 * the row becomes `declined` or is deleted. Pending rows count like declines, so many parallel
 * attempts cannot all pass the check before the first decline is written (ASVS 11.1.6, no
 * TOCTOU), and the check and the reservation run under one advisory lock, in every process.
 */
import { z } from 'zod';
import type { Database, Queryable } from '../store/database.ts';
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
const AtRow = z.object({ at: z.coerce.date() });
const IdRow = z.object({ id: z.coerce.string() });

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

/** Seconds until this scope admits again, or 0 when it admits now. */
async function waitFor(
  tx: Queryable,
  check: ScopeCheck,
  a: ChargeAttempt,
  now: Date,
): Promise<number> {
  const windowed = check.windowMs !== undefined;
  // The max-th newest counted attempt: while it is in the window, the count is at the cap.
  const r = await tx.query(
    `SELECT at FROM charge_attempts WHERE ${check.column} = $1${windowed ? ' AND at > $3' : ''}
     ORDER BY at DESC OFFSET $2 LIMIT 1`,
    windowed
      ? [check.value, check.max - 1, new Date(now.getTime() - (check.windowMs ?? 0))]
      : [check.value, check.max - 1],
  );
  const row = r.rows[0];
  if (row === undefined) return 0;
  const until =
    check.windowMs === undefined
      ? (a.sessionExpiresAt?.getTime() ?? now.getTime())
      : AtRow.parse(row).at.getTime() + check.windowMs;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/** Reserves a charge attempt, or says which cap it hits and for how long. */
export async function reserveCharge(
  db: Database,
  limits: CardTestingLimits,
  a: ChargeAttempt,
  now: Date,
): Promise<Reservation> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    let worst: Reservation | undefined;
    for (const check of checksFor(limits, a)) {
      const wait = await waitFor(tx, check, a, now);
      if (wait > 0 && (worst === undefined || (!worst.ok && wait > worst.retryAfterSeconds))) {
        worst = { ok: false, scope: check.scope, retryAfterSeconds: wait };
      }
    }
    if (worst) return worst;
    await tx.query('DELETE FROM charge_attempts WHERE at < $1', [
      new Date(now.getTime() - keepMs(limits)),
    ]);
    const inserted = await tx.query(
      `INSERT INTO charge_attempts (status, session_id, shopper_id, client_ip, card_key, at)
       VALUES ('pending', $1, $2, $3, $4, $5) RETURNING id`,
      [a.sessionId ?? null, a.shopperId, a.clientIp ?? null, a.cardKey, now],
    );
    return { ok: true, id: IdRow.parse(inserted.rows[0]).id };
  });
}

/** A declined attempt keeps counting; any other outcome stops counting. */
export async function settleCharge(db: Queryable, id: string, declined: boolean): Promise<void> {
  if (declined) {
    await db.query(`UPDATE charge_attempts SET status = 'declined' WHERE id = $1`, [id]);
  } else {
    await db.query('DELETE FROM charge_attempts WHERE id = $1', [id]);
  }
}
