/**
 * `GET /healthz` (server-stub/http/routes/health.ts): what a load balancer's readiness probe
 * reads. 200 while the database answers; 503 `database_unavailable` when it fails or does not
 * answer, with the reason in the log only; never a shopper cookie, never tied to the checkout
 * switch or the caller's origin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server-stub/store/database.ts';
import { openTestStore } from '../helpers/test-store.ts';
import { type Harness, harness } from './harness.ts';

/** What the store does with the probe's `SELECT 1`: answer, fail, or never answer. */
let mode: 'answer' | 'fail' | 'hang' = 'answer';
/** A driver message that must stay in the log (a host and user, as pg writes them). */
const DRIVER_MESSAGE = 'connect ECONNREFUSED 10.1.2.3:5432 for user shop_owner';

function probed(db: Database): Database {
  return {
    ...db,
    query: (sql, params) => {
      if (sql === 'SELECT 1' && mode === 'fail') return Promise.reject(new Error(DRIVER_MESSAGE));
      if (sql === 'SELECT 1' && mode === 'hang') return new Promise(() => undefined);
      return db.query(sql, params);
    },
  };
}

let h: Harness;
let store: Database;
beforeAll(async () => {
  store = await openTestStore();
  // Checkout closed and only its own origin allowed: neither concerns a probe.
  h = await harness({ db: probed(store), env: { CHECKOUT_ENABLED: 'false' } });
});
afterAll(async () => {
  await h.close();
  await store.close();
});

const probe = () =>
  h.stub.app.request('http://localhost:3000/healthz', {
    headers: { origin: 'http://10.0.0.9:8080' },
  });

describe('GET /healthz', () => {
  it('is 200 while the database answers, with checkout closed and from any caller', async () => {
    mode = 'answer';
    const res = await probe();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
    // A probe every few seconds must not mint a shopper (and a cookie) each time.
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('is 503 database_unavailable when the database fails, the reason logged and not sent', async () => {
    mode = 'fail';
    const res = await probe();
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text).error.code).toBe('database_unavailable');
    expect(text).not.toContain('10.1.2.3');
    expect(h.logs.text).toContain('health: database not answering');
    expect(h.logs.text).toContain(DRIVER_MESSAGE);
  });

  it('is 503 when the database does not answer within 2 seconds, then 200 again', async () => {
    mode = 'hang';
    const started = Date.now();
    const res = await probe();
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('database_unavailable');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    mode = 'answer';
    expect((await probe()).status).toBe(200);
  });
});

describe('GET /healthz while the stub drains (SIGTERM: server-stub/shutdown.ts)', () => {
  it('is 503 shutting_down without asking the database, and every answer closes its connection', async () => {
    mode = 'fail';
    const logged = h.logs.text.length;
    h.stub.drain();
    const res = await probe();
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: {
        code: 'shutting_down',
        message: 'This server is stopping: send requests to another one.',
      },
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('connection')).toBe('close');
    expect(h.logs.text.slice(logged)).not.toContain('health: database not answering');
    // Still serving: what reaches it is answered, on a connection that is not reused.
    mode = 'answer';
    const catalog = await h.stub.app.request('http://localhost:3000/api/catalog', {
      headers: { origin: 'http://localhost:3000' },
    });
    expect(catalog.status).toBe(503); // this harness's checkout is closed, as set above
    expect(catalog.headers.get('connection')).toBe('close');
  });
});
