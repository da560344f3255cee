/**
 * The database round trips a shopper waits for, counted statement by statement: each one is
 * latency on the checkout's hot path (issue 4's benchmark measures the time; this pins the
 * shape, so a change that adds a statement to a session or a payment is seen in review).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database, Queryable } from '../../server-stub/store/database.ts';
import { openTestStore } from '../helpers/test-store.ts';
import { type Harness, harness, Shopper, upstreamCalls } from './harness.ts';

/** The first words of each statement sent, BEGIN and COMMIT included. */
const sent: string[] = [];
const record = (sql: string) => sent.push(sql.replace(/\s+/g, ' ').trim().split(' ', 3).join(' '));

function counting(db: Database): Database {
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      record(sql);
      return q.query(sql, params);
    },
  });
  return {
    kind: db.kind,
    concurrentTransactions: db.concurrentTransactions,
    query: wrap(db).query,
    transaction: (fn) => {
      record('BEGIN');
      return db.transaction((tx) => fn(wrap(tx))).finally(() => record('COMMIT'));
    },
    exec: (sql) => db.exec(sql),
    close: () => db.close(),
  };
}

let h: Harness;
let inner: Database;
beforeAll(async () => {
  inner = await openTestStore();
  // No reconciler timer: only the requests' own statements are counted.
  h = await harness({ db: counting(inner), reconcile: { intervalMs: 0 } });
  // Warm: the capture context's public key is fetched once and cached by kid.
  expect((await new Shopper(h).payNewCard({ id: 'tshirt' })).status).toBe(201);
});
afterAll(async () => {
  await h.close();
  await inner.close();
});

it('starts a checkout in three statements, and pays with a new card in six and one transaction', async () => {
  const shopper = new Shopper(h);
  sent.length = 0;
  const session = await shopper.session();
  expect(sent.filter((s) => !s.startsWith('UPDATE checkout_sessions'))).toEqual([
    'INSERT INTO idempotency_keys', // claim the Idempotency-Key
    'WITH shopper AS', // the session, and its shopper if new
    'UPDATE idempotency_keys SET', // the stored answer
  ]);
  const transientToken = await shopper.token(session.captureContext);
  sent.length = 0;
  const paid = await shopper.request('POST', '/api/checkout/payments', {
    sessionId: session.sessionId,
    transientToken,
    item: { id: 'tshirt' },
  });
  expect(paid.status).toBe(201);
  expect(sent).toEqual([
    'INSERT INTO idempotency_keys', // claim the Idempotency-Key
    'BEGIN',
    'WITH caps AS', // the decline-cap reservation
    'WITH spent AS', // token spent, key linked, pending row written
    'COMMIT',
    // …the one CyberSource call…
    'UPDATE payments SET', // the outcome
    'DELETE FROM charge_attempts', // the reservation settled (approved: it stops counting)
    'UPDATE idempotency_keys SET', // the stored answer
  ]);
});

it("resumes a returning shopper's unpaid session in three statements, with no CyberSource call", async () => {
  const shopper = new Shopper(h);
  const first = await shopper.session();
  sent.length = 0;
  // Capture contexts made (the Flex v1 key beside the first may still be landing).
  const contexts = async () =>
    (await upstreamCalls(h)).filter((c) => c.path === '/microform/v2/sessions').length;
  const before = await contexts();
  expect((await shopper.session()).sessionId).toBe(first.sessionId);
  expect(sent).toEqual([
    'INSERT INTO idempotency_keys', // claim the Idempotency-Key
    'SELECT * FROM', // the shopper's newest unpaid session
    // The key given back, no answer kept: a resume changes nothing, and a row per fresh key
    // would grow the table without limit (http/routes/shopper.ts).
    'DELETE FROM idempotency_keys',
  ]);
  expect(await contexts()).toBe(before);
});
