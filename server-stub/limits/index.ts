/**
 * @module The card-testing defence (RELIABILITY-FACTS §4, OWASP OAT-001 Carding): request-rate
 * limits per IP and per shopper on starting a checkout and on paying, and caps on declined
 * charges per checkout session, per card, per shopper and per IP. Every check runs before any
 * CyberSource call and answers 429 with `Retry-After`; every trip is logged (ASVS 11.1.7),
 * without card data.
 */
import { StubError, stubError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Database, Queryable } from '../store/database.ts';
import {
  type ChargeAttempt,
  type DeclineScope,
  reserveCharge,
  settleCharge,
} from './decline-guard.ts';
import { type Check, SlidingWindowLog } from './request-rate.ts';
import type { CardTestingLimits, Rule } from './rules.ts';

export { newCardKey, savedCardKey } from './card-key.ts';
export type { ChargeAttempt } from './decline-guard.ts';

/** Who is asking: the shopper id and the counted client address (`client-ip.ts`). */
export interface Requester {
  shopperId: string;
  ip: string | undefined;
}

export type LimitedEndpoint = 'sessions' | 'payments' | 'cards';

/** A reserved charge attempt; undefined when the decline caps are off. */
export type ChargeTicket = { id: string } | undefined;

export interface DefenceDeps {
  limits: CardTestingLimits;
  db: Database;
  now: () => Date;
  logger: Logger;
}

function rulesFor(limits: CardTestingLimits, endpoint: LimitedEndpoint) {
  if (endpoint === 'sessions')
    return { ip: limits.sessionsPerIp, shopper: limits.sessionsPerShopper };
  if (endpoint === 'cards') return { ip: limits.cardsPerIp, shopper: limits.cardsPerShopper };
  return { ip: limits.paymentsPerIp, shopper: limits.paymentsPerShopper };
}

export class CardTestingDefence {
  private readonly log: SlidingWindowLog;
  private warnedNoIp = false;

  constructor(private readonly deps: DefenceDeps) {
    const { limits } = deps;
    const rules = [
      limits.sessionsPerIp,
      limits.sessionsPerShopper,
      limits.paymentsPerIp,
      limits.paymentsPerShopper,
      limits.cardsPerIp,
      limits.cardsPerShopper,
    ];
    this.log = new SlidingWindowLog(Math.max(0, ...rules.map((r) => r?.windowMs ?? 0)));
  }

  /**
   * Counts one request to `endpoint` against its IP and shopper limits, or throws 429
   * `rate_limited`. Call it only for a request that will run (not an idempotent replay), so a
   * replay is never counted twice.
   */
  admit(endpoint: LimitedEndpoint, who: Requester, log: Logger): void {
    const { limits } = this.deps;
    if (limits.disabled) return;
    const rules = rulesFor(limits, endpoint);
    const checks: Check[] = [];
    if (rules.ip && who.ip !== undefined)
      checks.push({ key: `${endpoint}:ip:${who.ip}`, rule: rules.ip });
    else if (rules.ip) this.warnNoIp(log);
    if (rules.shopper) {
      checks.push({ key: `${endpoint}:shopper:${who.shopperId}`, rule: rules.shopper });
    }
    const r = this.log.take(checks, this.deps.now().getTime());
    if (r.waitSeconds === 0) return;
    const limit = r.tripped?.split(':').slice(0, 2).join('_per_') ?? endpoint;
    log.warn(
      { limit, shopperId: who.shopperId, ip: who.ip, retryAfterSeconds: r.waitSeconds },
      'card-testing defence: rate limit tripped',
    );
    throw limited('rate_limited', r.waitSeconds);
  }

  /**
   * Reserves one charge against the decline caps before the payment call, in the transaction
   * `tx` that writes the pending payment (its rollback gives the reservation back), or throws
   * 429 `too_many_declines`. Once committed, the ticket must be settled (`charge`).
   */
  async reserve(tx: Queryable, attempt: ChargeAttempt, log: Logger): Promise<ChargeTicket> {
    const { limits } = this.deps;
    if (limits.disabled || !hasDeclineCaps(limits)) return undefined;
    if (attempt.clientIp === undefined && limits.declinesPerIp) this.warnNoIp(log);
    const { concurrentTransactions } = this.deps.db;
    const r = await reserveCharge(tx, concurrentTransactions, limits, attempt, this.deps.now());
    if (r.ok) return { id: r.id };
    log.warn(
      {
        limit: `declines_per_${r.scope satisfies DeclineScope}`,
        shopperId: attempt.shopperId,
        sessionId: attempt.sessionId,
        ip: attempt.clientIp,
        retryAfterSeconds: r.retryAfterSeconds,
      },
      'card-testing defence: decline cap tripped',
    );
    throw limited('too_many_declines', r.retryAfterSeconds);
  }

  /** Runs the charge; a `card_declined` keeps counting, anything else stops counting. */
  async charge<T>(ticket: ChargeTicket, run: () => Promise<T>): Promise<T> {
    if (ticket === undefined) return run();
    let declined = false;
    try {
      return await run();
    } catch (err) {
      declined = err instanceof StubError && err.code === 'card_declined';
      throw err;
    } finally {
      await this.settle(ticket, declined);
    }
  }

  private async settle(ticket: { id: string }, declined: boolean): Promise<void> {
    try {
      await settleCharge(this.deps.db, ticket.id, declined);
    } catch (err) {
      // The payment's own answer matters more; a stale pending row ages out of its window.
      this.deps.logger.error(
        { attemptId: ticket.id, err: err instanceof Error ? err.message : typeof err },
        'could not settle a charge attempt',
      );
    }
  }

  private warnNoIp(log: Logger): void {
    if (this.warnedNoIp) return;
    this.warnedNoIp = true;
    log.warn('no client address on this request: per-IP limits are skipped (in-process request?)');
  }
}

function hasDeclineCaps(l: CardTestingLimits): boolean {
  const rules: (Rule | number | undefined)[] = [
    l.declinesPerSession,
    l.declinesPerCard,
    l.declinesPerShopper,
    l.declinesPerIp,
  ];
  return rules.some((r) => r !== undefined);
}

function limited(code: 'rate_limited' | 'too_many_declines', retryAfterSeconds: number) {
  return stubError(code, {
    details: { retryAfterSeconds },
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}
