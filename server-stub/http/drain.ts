/**
 * @module Draining: the stub still serves every request that reaches it, but says it is going.
 * `/healthz` answers 503 `shutting_down`, so a load balancer or an orchestrator's readiness
 * probe takes the process out of rotation, and every answer carries `Connection: close`
 * (RFC 9112 §9.6), so a browser's or a proxy's kept-alive connection is not reused for the next
 * request: that one opens a new connection, which the balancer sends to another process.
 * A renew-due run finishes the renewal in flight and starts no other, so it answers before the
 * shutdown timeout rather than being cut in the middle of a charge. Started by `shutdown.ts` on
 * SIGTERM, before the port closes.
 *
 * It also keeps the requests whose handlers are still running: a shopper who closed the tab
 * closes the connection, not the handler, which may be waiting on CyberSource with a pending
 * payment row; closing the database under it would leave that sale charged and unrecorded until
 * the next start. The stub closes only once they are done (`idle`), and once the work a handler
 * started and did not wait for is done too (`background`: a session's Flex v1 key).
 */
import type { MiddlewareHandler } from 'hono';
import type { StubEnv } from './env.ts';

export class Drain {
  readonly #stop = new AbortController();
  readonly #running = new Set<Promise<unknown>>();
  readonly #background = new Set<Promise<unknown>>();

  /** Requests whose handlers have not finished, answered or not. */
  get inFlight(): number {
    return this.#running.size;
  }

  /**
   * Resolves once no handler is running and no background work is left (what was running when
   * called included, and what it started meanwhile).
   */
  async idle(): Promise<void> {
    while (this.#running.size + this.#background.size > 0)
      await Promise.allSettled([...this.#running, ...this.#background]);
  }

  track(work: Promise<unknown>): void {
    keep(this.#running, work);
  }

  /**
   * Work a handler leaves running after it answered: not a request (`inFlight` does not count
   * it), but `idle` waits for it, so the stub never closes the database under its write nor
   * leaves its upstream call running past `close`.
   */
  background(work: Promise<unknown>): void {
    keep(this.#background, work);
  }

  get draining(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Aborted when draining starts: long work (a renew-due run) starts nothing new after it. */
  get signal(): AbortSignal {
    return this.#stop.signal;
  }

  start(): void {
    this.#stop.abort();
  }
}

/** Holds `work` in `set` until it settles. */
function keep(set: Set<Promise<unknown>>, work: Promise<unknown>): void {
  set.add(work);
  const done = () => set.delete(work);
  work.then(done, done);
}

export function closeWhileDraining(drain: Drain): MiddlewareHandler<StubEnv> {
  return async (c, next) => {
    const work = next();
    drain.track(work);
    await work;
    if (drain.draining) c.header('connection', 'close');
  };
}
