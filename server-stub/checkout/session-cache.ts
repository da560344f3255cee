/**
 * @module The checkout sessions this process has seen, so paying reads its session without a
 * database round trip. What paying needs of a session (its shopper, the capture context's
 * `flx.jwk`, its expiry) is written once and never changes, so a cached copy cannot go stale;
 * a miss (a session another process started, or one evicted) reads the row. Bounded: the
 * oldest entries go first.
 */
import type { Queryable } from '../store/database.ts';
import type { Jwk } from '../store/rows.ts';
import { findSession } from '../store/sessions.ts';

export interface PayableSession {
  id: string;
  shopperId: string;
  flxJwk: Jwk;
  expiresAt: Date;
}

export class SessionCache {
  private readonly sessions = new Map<string, PayableSession>();

  constructor(private readonly max = 10_000) {}

  remember(session: PayableSession): void {
    if (!this.sessions.has(session.id) && this.sessions.size >= this.max) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) this.sessions.delete(oldest.value);
    }
    this.sessions.set(session.id, session);
  }

  async find(db: Queryable, id: string): Promise<PayableSession | undefined> {
    const hit = this.sessions.get(id);
    if (hit) return hit;
    const row = await findSession(db, id);
    if (!row) return undefined;
    const session = {
      id: row.id,
      shopperId: row.shopper_id,
      flxJwk: row.flx_jwk,
      expiresAt: row.expires_at,
    };
    this.remember(session);
    return session;
  }
}
