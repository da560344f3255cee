/**
 * Two renew-due runs in two processes (two stubs on one PostgreSQL database, each with its own
 * connections): a renewal declined in one must not leave the period free for the other before
 * its retry schedule is written, or the card is charged again within milliseconds of the
 * decline. The decline and the schedule land in one transaction with the subscription locked
 * first (checkout/renew.ts), and the other run's insert re-reads the schedule under that lock
 * (`dueBy`, store/payments.ts).
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { renewSubscription } from '../../server-stub/checkout/renew.ts';
import { configFromEnv } from '../../server-stub/config/env.ts';
import { StubError } from '../../server-stub/errors.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { renewDue } from '../../server-stub/renew-due-run.ts';
import type { Database, Queryable } from '../../server-stub/store/database.ts';
import { openStore } from '../../server-stub/store/index.ts';
import { dropSchema } from '../../server-stub/store/postgres.ts';
import { createStub, type Stub } from '../../server-stub/stub.ts';
import { ADMIN_TOKEN, LogSink, TEST_CATALOG } from '../server-stub/harness.ts';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const schema = `race_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Runs `before` ahead of every statement, in and out of transactions. */
function hooked(db: Database, before: (sql: string) => Promise<void>): Database {
  const wrap = (q: Queryable): Queryable => ({
    query: async (sql, params) => {
      await before(sql);
      return q.query(sql, params);
    },
  });
  return {
    ...db,
    query: wrap(db).query,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
  };
}

let h: HardeningHarness;
let dbA: Database;
let dbB: Database;
let other: Stub;
let hook: (sql: string) => Promise<void> = async () => undefined;

beforeEach(async () => {
  dbA = await openStore({ databaseUrl: PG_URL, schema });
  dbB = await openStore({ databaseUrl: PG_URL, schema });
  h = await hardeningHarness({ db: hooked(dbA, (sql) => hook(sql)) });
  other = await createStub({
    config: configFromEnv({ ADMIN_TOKEN, LOG_LEVEL: 'debug' }),
    fetch: h.emulatorFetch,
    db: dbB,
    now: h.clock.now,
    sleep: async () => undefined,
    catalog: TEST_CATALOG,
    cookieSecret: 'a-test-cookie-secret-that-is-long-enough-123',
    logger: createLogger({ level: 'debug', destination: new LogSink() }),
    timeouts: { paymentMs: 2500, defaultMs: 2500 },
    reconcile: { afterMs: 60_000, intervalMs: 0 },
  });
});
afterEach(async () => {
  hook = async () => undefined;
  await other.close();
  await h.close();
  await dbA.close();
  await dbB.close();
  await dropSchema(PG_URL, schema);
});

/** A monthly subscription repriced onto a decline trigger (INSUFFICIENT_FUND), its period ended. */
async function dueToDecline(): Promise<string> {
  const started = await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  const id: string = started.body.subscription.id;
  await h.stub.db.query('UPDATE subscriptions SET amount = 210200 WHERE id = $1', [id]);
  h.clock.advance(31 * DAY);
  return id;
}

it('a decline in one run never lets an overlapping run charge the period again', async () => {
  const id = await dueToDecline();

  // Process B's run listed the subscription as due before A's attempt; it reaches the renewal
  // (as renew-due-run.ts makes it) just as A records its decline, and gets half a second.
  let runB: Promise<string> | undefined;
  hook = async (sql) => {
    if (runB || !sql.includes('renewal_attempts = renewal_attempts + 1')) return;
    runB = renewSubscription(other.checkout, id, 'renew-due-b', {
      expectedPeriod: 2,
      onlyIfDue: true,
    }).then(
      () => 'renewed',
      (err) => (err instanceof StubError ? err.code : String(err)),
    );
    await Promise.race([runB, new Promise((r) => setTimeout(r, 500))]);
  };
  const runA = await renewDue(h.stub);
  expect(runA.declined).toEqual([id]);
  expect(runB).toBeDefined();
  // renew-due reports it `skipped`: the next attempt is A's schedule's.
  expect(await runB).toBe('subscription_not_renewable');

  const sales = h.emulator.state.payments.all('testrest').filter((t) => t.kind === 'payment');
  expect(sales).toHaveLength(2); // the first payment and one renewal attempt
  const r = await h.stub.db.query(
    'SELECT status, renewal_attempts FROM subscriptions WHERE id = $1',
    [id],
  );
  expect(r.rows[0]).toEqual({ status: 'past_due', renewal_attempts: 1 });
});

it("a merchant's renew now that names the last failed attempt its panel showed never charges a card just declined by a run in another process", async () => {
  const id = await dueToDecline();

  // The panel listed the subscription with no failed attempt; its "renew now" reaches process B
  // just as A's renew-due records its decline.
  let renewNow: Promise<string> | undefined;
  hook = async (sql) => {
    if (renewNow || !sql.includes('renewal_attempts = renewal_attempts + 1')) return;
    renewNow = renewSubscription(other.checkout, id, 'renew-now-b', {
      expectedPeriod: 2,
      lastFailureSeen: null,
    }).then(
      () => 'renewed',
      (err) => (err instanceof StubError ? err.code : String(err)),
    );
    await Promise.race([renewNow, new Promise((r) => setTimeout(r, 500))]);
  };
  expect((await renewDue(h.stub)).declined).toEqual([id]);
  expect(await renewNow).toBe('renewal_attempted_since');
  // Read afresh, it names what it saw, and the same stale panel is refused without a call.
  const stale = await renewSubscription(other.checkout, id, 'renew-now-again', {
    expectedPeriod: 2,
    lastFailureSeen: null,
  }).catch((err: StubError) => err);
  expect(stale).toMatchObject({
    code: 'renewal_attempted_since',
    details: { requestedLastFailurePaymentId: null, lastFailurePaymentId: expect.any(String) },
  });
  const sales = h.emulator.state.payments.all('testrest').filter((t) => t.kind === 'payment');
  expect(sales).toHaveLength(2); // the first payment and the one declined renewal
});
