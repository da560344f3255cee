/**
 * Hardening harness: the emulator and the stub in-process sharing one fake clock (so "wait 60 s"
 * before a lookup or a timeout reversal is one `advance`, RELIABILITY-FACTS §3.6), short client
 * timeouts so `timeout` and `slow` faults end in milliseconds, and the reconciler driven by hand.
 */
import { createEmulator, type Emulator } from '../../emulator/app.ts';
import { inProcessFetch } from '../../emulator/in-process.ts';
import type { PaymentTxn } from '../../emulator/payments/store.ts';
import type { Catalog } from '../../server-stub/config/catalog.ts';
import { configFromEnv } from '../../server-stub/config/env.ts';
import { createLogger } from '../../server-stub/logger.ts';
import type { Database, Queryable } from '../../server-stub/store/database.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { createStub, type StubOptions } from '../../server-stub/stub.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { openTestStore } from '../helpers/test-store.ts';
import {
  ADMIN_TOKEN,
  admin,
  type Harness,
  LogSink,
  Shopper,
  TEST_CATALOG,
} from '../server-stub/harness.ts';

/**
 * Wraps the stub's fetch so each JSON answer passes through `edit` first, with the path it
 * answered: what a real CyberSource may answer that the emulator does not. `edit` changes the
 * body in place, or answers a Response of its own instead.
 */
export function editAnswers(
  f: typeof fetch,
  edit: (path: string, body: Record<string, any>) => Response | undefined,
): typeof fetch {
  return async (input, init) => {
    const res = await f(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!res.headers.get('content-type')?.includes('json')) return res;
    const body = await res.json();
    const instead = edit(new URL(url).pathname, body);
    if (instead) return instead;
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return new Response(JSON.stringify(body), { status: res.status, headers });
  };
}

/**
 * Each Transaction Details answer (`GET /tss/v2/transactions/{id}`) through `edit`: what a real
 * record may show that the emulator's does not.
 */
export function editTransactionDetails(
  f: typeof fetch,
  edit: (body: Record<string, any>) => void,
): typeof fetch {
  return editAnswers(f, (path, body) => {
    if (path.startsWith('/tss/v2/transactions/')) edit(body);
    return undefined;
  });
}

/** Far from a 00:00 UTC settlement batch, so voids stay possible across a 61 s wait. */
export const START = Date.parse('2030-03-12T10:00:00Z');

export class FakeClock {
  constructor(public ms: number = START) {}
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface HardeningHarness extends Harness {
  clock: FakeClock;
}

export async function hardeningHarness(
  options: Partial<StubOptions> & {
    /** Wraps the stub's view of CyberSource (e.g. to alter an answer); the test keeps the real one. */
    wrapFetch?: (f: typeof fetch) => typeof fetch;
  } = {},
): Promise<HardeningHarness> {
  const { wrapFetch, ...stubOptions } = options;
  const clock = new FakeClock();
  const emulator: Emulator = createEmulator({ now: clock.now, keys: testKeys() });
  const emulatorFetch = inProcessFetch(emulator);
  const logs = new LogSink();
  const db = await openTestStore();
  const stub = await createStub({
    config: configFromEnv({ ADMIN_TOKEN, LOG_LEVEL: 'debug' }),
    fetch: wrapFetch ? wrapFetch(emulatorFetch) : emulatorFetch,
    db,
    now: clock.now,
    sleep: async () => undefined,
    catalog: TEST_CATALOG,
    cookieSecret: 'a-test-cookie-secret-that-is-long-enough-123',
    logger: createLogger({ level: 'debug', destination: logs }),
    // Long enough for a loaded 2-core machine, short enough that timeout/slow cases end in seconds.
    timeouts: { paymentMs: 2500, defaultMs: 2500 },
    reconcile: { afterMs: 60_000, intervalMs: 0 },
    ...stubOptions,
  });
  return {
    emulator,
    stub,
    logs,
    emulatorFetch,
    clock,
    close: async () => {
      emulator.state.releaseHeld();
      await stub.close();
      await db.close();
    },
  };
}

export async function armFault(
  h: Harness,
  spec: { method: string; path: string; fault: string; processed?: boolean; times?: number },
): Promise<void> {
  const res = await h.emulatorFetch('http://localhost:4010/__emulator/faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ times: 1, ...spec }),
  });
  if (res.status !== 201) throw new Error(`fault not armed: ${res.status}`);
}

/**
 * A shopper whose *setup* session retries a failed start (a busy machine can make a setup call
 * time out); the call under test never goes through this retry.
 */
export class SetupShopper extends Shopper {
  override async session() {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await super.session();
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  }
}

/**
 * An in-memory store whose next statement containing `fragment` throws, once, after `arm()`: a
 * write lost between two steps of a flow, as a dropped connection would lose it.
 */
export async function storeFailingOnce(fragment: string) {
  const db = await openTestStore();
  let armed = false;
  const failingOn = (q: Queryable): Queryable['query'] => {
    return async (sql, params) => {
      if (armed && sql.includes(fragment)) {
        armed = false;
        throw new Error('connection lost');
      }
      return q.query(sql, params);
    };
  };
  // Inside a transaction too: the failure then rolls back the whole transaction.
  const failing: Database = {
    ...db,
    query: failingOn(db),
    transaction: (fn) => db.transaction((tx) => fn({ query: failingOn(tx) })),
  };
  return {
    db: failing,
    arm: () => {
      armed = true;
    },
    /** True until the armed failure has happened. */
    armed: () => armed,
  };
}

export type FailingStore = Awaited<ReturnType<typeof storeFailingOnce>>;

/** A harness on `storeFailingOnce(fragment)`; its `close` closes that store too. */
export async function harnessFailingOnce(
  fragment: string,
  options: Parameters<typeof hardeningHarness>[0] = {},
): Promise<{ h: HardeningHarness; store: FailingStore }> {
  const store = await storeFailingOnce(fragment);
  const h = await hardeningHarness({ db: store.db, ...options });
  const close = async () => {
    await h.close();
    await store.db.close();
  };
  return { h: { ...h, close }, store };
}

/**
 * A 4000 refund of a 10000 donation that CyberSource recorded but whose answer was a 502 (so
 * the refund is `unknown`); answers the payment's id.
 */
export async function unknownRefund(h: HardeningHarness): Promise<string> {
  const paid = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 10_000 });
  if (paid.status !== 201) throw new Error(`setup payment: ${paid.status}`);
  const paymentId = String(paid.body.payment.id);
  const row = await findPayment(h.stub.db, paymentId);
  await armFault(h, {
    method: 'POST',
    path: `/pts/v2/payments/${row?.cybersource_id}/refunds`,
    fault: '502',
    processed: true,
  });
  const r = await admin(h)('POST', `/api/admin/payments/${paymentId}/refunds`, { amount: 4000 });
  if (r.status !== 202 || r.body.error?.code !== 'refund_outcome_unknown')
    throw new Error(`setup refund: ${r.status} ${JSON.stringify(r.body)}`);
  return paymentId;
}

/** The emulator's record of a stub payment's sale (by the row's CyberSource id). */
export async function upstreamPayment(h: HardeningHarness, paymentId: string): Promise<PaymentTxn> {
  const id = (await findPayment(h.stub.db, paymentId))?.cybersource_id ?? '';
  const t = h.emulator.state.payments.transactions.get(id);
  if (t?.kind !== 'payment') throw new Error(`no upstream payment for ${paymentId}`);
  return t;
}

/** The id of the stub's newest payment row. */
export async function lastPaymentId(h: HardeningHarness): Promise<string> {
  const r = await h.stub.db.query('SELECT id FROM payments ORDER BY created_at DESC LIMIT 1');
  return (r.rows[0] as { id: string }).id;
}

/** Decision Manager holds a sale of 2203.00 for a person's review (the emulator's trigger). */
export const REVIEWED = 220_300;

/** The test catalog and a monthly plan at that price: each first payment of it is reviewed. */
export const REVIEWED_CATALOG: Catalog = {
  ...TEST_CATALOG,
  plans: [
    ...TEST_CATALOG.plans,
    { id: 'reviewed', name: 'Reviewed', amount: REVIEWED, interval: 'month', intervalCount: 1 },
  ],
};

/** A person decides a payment's review in the Business Center (the emulator's control). */
export async function decideReview(
  h: Harness,
  paymentId: string,
  decision: 'accept' | 'reject',
): Promise<void> {
  const cybersourceId = (await findPayment(h.stub.db, paymentId))?.cybersource_id;
  const res = await h.emulatorFetch(`http://localhost:4010/__emulator/reviews/${cybersourceId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ decision }),
  });
  if (res.status !== 200) throw new Error(`review not decided: ${res.status}`);
}
