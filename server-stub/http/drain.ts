/**
 * @module Draining: the stub still serves every request that reaches it, but says it is going.
 * `/healthz` answers 503 `shutting_down`, so a load balancer or an orchestrator's readiness
 * probe takes the process out of rotation, and every answer carries `Connection: close`
 * (RFC 9112 §9.6), so a browser's or a proxy's kept-alive connection is not reused for the next
 * request: that one opens a new connection, which the balancer sends to another process.
 * Started by `shutdown.ts` on SIGTERM, before the port closes.
 */
import type { MiddlewareHandler } from 'hono';
import type { StubEnv } from './env.ts';

export class Drain {
  #draining = false;

  get draining(): boolean {
    return this.#draining;
  }

  start(): void {
    this.#draining = true;
  }
}

export function closeWhileDraining(drain: Drain): MiddlewareHandler<StubEnv> {
  return async (c, next) => {
    await next();
    if (drain.draining) c.header('connection', 'close');
  };
}
