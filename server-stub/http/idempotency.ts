/**
 * @module Idempotency for every POST (DESIGN.md "Stub"; RELIABILITY-FACTS §2):
 * - same key, same request → the first result, replayed from the database (so across processes);
 *   whatever that result was, errors included, like Stripe: use a new key to try again;
 * - same key, different request → 422 `idempotency_key_reused`;
 * - same key a day after its answer → 422 `idempotency_key_expired` (never run again);
 * - same key while the first is still running → the later request waits for the first one's
 *   stored result (polling the database, bounded), and gets 409 `idempotency_key_in_flight` if
 *   it is not there in time. Either way only the first request ever calls CyberSource.
 * The body is validated before the key is claimed: a request that fails validation never
 * started, so it stores nothing (Stripe does the same). Likewise a request a card-testing limit
 * refuses (429, before any upstream call) gives its key back, so the same attempt can be sent
 * again with the same key after `Retry-After`. So does an answer that changed nothing for
 * anyone (`unstarted`, `unstartedOn`): a row kept per key for those would let anyone without an
 * account grow the table with fresh keys, each row kept for good (the day-old ones as tombstones).
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { type ErrorCode, StubError, stubError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Database } from '../store/database.ts';
import { claimKey, completeKey, releaseKey, touchKey, withHeldKey } from '../store/idempotency.ts';
import { contentfulStatus } from './status.ts';

export interface IdempotencyDeps {
  db: Database;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** How long a duplicate waits for the first request's result. */
  waitMs: number;
  /**
   * How often a running request's key is marked alive (`touchKey`), well under the reconciler's
   * orphan age (30 s at least: `reconcile/reconciler.ts`), so a long request (a renew-due run)
   * never has its key released under it.
   */
  heartbeatMs: number;
}

export interface Outcome {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /**
   * Nothing was started or changed (a run already going, as for a 429; a resumed checkout
   * session; a subscription that is not the shopper's): the key is given back, so a retry with it
   * runs, instead of replaying this answer for the key's lifetime. Only for an answer whose
   * replay protects nothing: the request has no effect to repeat.
   */
  unstarted?: true;
  /**
   * Once its answer expires (a day on: `expireAnsweredKeys`), the key is forgotten, not kept as a
   * tombstone, so a reuse after that runs as a new request. Only for a request whose second run
   * moves no money and undoes nothing: a new checkout session (one per page view, most of the
   * keys a shop takes).
   */
  forgettable?: true;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** JSON with sorted keys, so `{a,b}` and `{b,a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex');
}

export function idempotencyKeyOf(c: Context): string {
  const key = c.req.header('idempotency-key');
  if (!key) throw stubError('idempotency_key_missing');
  if (!KEY.test(key)) throw stubError('idempotency_key_invalid');
  return key;
}

/**
 * Runs `run`; the refusal `code` it throws comes back as an `unstarted` outcome (its key given
 * back). For a refusal thrown before the flow has done anything, such as a lookup that finds no
 * row of the caller's (`subscription_not_found`): nothing happened, so no replay is needed.
 */
export async function unstartedOn(code: ErrorCode, run: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof StubError) || err.code !== code) throw err;
    return { ...outcomeOf(err), unstarted: true };
  }
}

/** A refusal as the answer stored and sent for it. */
const outcomeOf = (err: StubError): Outcome => ({
  status: err.status,
  body: err.toBody(),
  ...(err.headers ? { headers: err.headers } : {}),
});

/** Turns whatever `run` produced (a value or a StubError) into a storable outcome. */
async function execute(run: () => Promise<Outcome>, log: Logger): Promise<Outcome> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof StubError) return outcomeOf(err);
    log.error(
      { err: err instanceof Error ? { name: err.name, message: err.message } : undefined },
      'unhandled error',
    );
    return { status: 500, body: stubError('internal_error').toBody() };
  }
}

export async function idempotent(
  c: Context,
  deps: IdempotencyDeps,
  scope: string,
  body: unknown,
  log: Logger,
  run: () => Promise<Outcome>,
): Promise<Response> {
  const key = idempotencyKeyOf(c);
  // The routed (decoded) path: one endpoint, however its path was spelled.
  const hash = requestHash(c.req.method, c.req.path, body);
  let claim = await claimKey(deps.db, scope, key, hash, deps.now());
  let waited = 0;
  for (let delay = 25; claim.outcome !== 'claimed'; delay = Math.min(delay * 2, 250)) {
    if (claim.outcome !== 'contended' && claim.requestHash !== hash) {
      throw stubError('idempotency_key_reused');
    }
    if (claim.outcome === 'expired') throw stubError('idempotency_key_expired');
    if (claim.outcome === 'done') {
      c.header('idempotent-replayed', 'true');
      return c.json(claim.body, contentfulStatus(claim.status));
    }
    if (waited >= deps.waitMs) throw stubError('idempotency_key_in_flight');
    await deps.sleep(delay);
    waited += delay;
    // Claims again rather than only reading: a first request refused with 429 gave the key
    // back (it never started), and this duplicate then runs as the attempt itself.
    claim = await claimKey(deps.db, scope, key, hash, deps.now());
  }
  // The flows link the key to the payment/refund they create, so the reconciler can answer it.
  // While it runs the key stays alive: the reconciler releases in-flight keys with no row once
  // they are older than any live request should be, and a renew-due run can be older.
  const beat = setInterval(() => {
    touchKey(deps.db, scope, key, deps.now()).catch(() => undefined);
  }, deps.heartbeatMs);
  let outcome: Outcome;
  try {
    outcome = await withHeldKey({ scope, key }, () => execute(run, log));
  } finally {
    clearInterval(beat);
  }
  if (outcome.status === 429 || outcome.unstarted) {
    await releaseKey(deps.db, scope, key);
    return c.json(outcome.body, contentfulStatus(outcome.status), outcome.headers);
  }
  await completeKey(deps.db, scope, key, outcome.status, outcome.body, deps.now(), {
    forgettable: outcome.forgettable === true,
  });
  return c.json(outcome.body, contentfulStatus(outcome.status));
}
