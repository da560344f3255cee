/**
 * @module `GET /healthz`, for a load balancer or an orchestrator's readiness probe: 200 while
 * the stub can serve a checkout's writes (its database answers), 503 otherwise, and 503
 * `shutting_down` from SIGTERM until the port closes (`http/drain.ts`). It says nothing
 * else (no version, no configuration), mints no shopper cookie and is not rate limited, so a
 * probe every few seconds costs one `SELECT 1`. `CHECKOUT_ENABLED=false` does not change it: a
 * closed checkout is the merchant's decision, not a sick process.
 */
import { Hono } from 'hono';
import { stubError } from '../../errors.ts';
import type { Database } from '../../store/database.ts';
import type { Drain } from '../drain.ts';
import type { StubEnv } from '../env.ts';

/**
 * Within the timeouts probes are given (an AWS load balancer waits 5 s by default); a healthy
 * store answers `SELECT 1` in milliseconds, even queued behind a payment's transaction.
 */
const TIMEOUT_MS = 2_000;

export function healthRoutes(db: Database, drain: Drain): Hono<StubEnv> {
  const app = new Hono<StubEnv>();
  app.get('/', async (c) => {
    c.header('cache-control', 'no-store');
    if (drain.draining) throw stubError('shutting_down');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    });
    try {
      await Promise.race([db.query('SELECT 1'), late]);
    } catch (err) {
      // Logged as the unhandled-error path logs (name and message), never sent to the prober.
      const e =
        err instanceof Error ? { name: err.name, message: err.message } : { message: 'unknown' };
      c.get('log')?.warn({ err: e }, 'health: database not answering');
      throw stubError('database_unavailable');
    } finally {
      clearTimeout(timer);
    }
    return c.json({ status: 'ok' });
  });
  return app;
}
