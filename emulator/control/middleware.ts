/**
 * @module The wrapper around every REST answer: latency, faults and the request log.
 */
import type { MiddlewareHandler } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { SLOW_MS } from './faults.ts';

/** Marks an answer whose connection the in-process fetch must turn into a network error. */
export const RESET_HEADER = 'x-emulator-connection-reset';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function faultsAndLog({ state }: EmulatorDeps): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const method = c.req.method;
    const path = new URL(c.req.url).pathname;
    const fault = state.faults.take(method, path);
    const log = (status: number) =>
      state.requests.add({
        method,
        path,
        status,
        at: state.now().toISOString(),
        ...(fault ? { fault: fault.kind } : {}),
      });

    if (state.latencyMs > 0) await sleep(state.latencyMs);

    if (fault?.kind === '502' && !fault.processed) {
      log(502);
      return c.json(
        {
          submitTimeUtc: state.submitTimeUtc(),
          status: 'SERVER_ERROR',
          reason: 'SYSTEM_ERROR',
          message: 'Error - General system failure.',
        },
        502,
      );
    }

    await next();

    switch (fault?.kind) {
      case undefined:
        log(c.res.status);
        return;
      case '502':
        log(502);
        c.res = c.json(
          {
            submitTimeUtc: state.submitTimeUtc(),
            status: 'SERVER_ERROR',
            reason: 'SERVER_TIMEOUT',
            message: 'Error - Server timeout.',
          },
          502,
        );
        return;
      case 'slow':
        log(c.res.status);
        await sleep(SLOW_MS);
        return;
      case 'timeout':
        log(0);
        // Never answer; a server closing its sockets (or the client's own timeout) ends this.
        await state.untilReset();
        c.res = new Response(null, { status: 504 });
        return;
      case 'reset': {
        log(0);
        const socket = c.env?.incoming?.socket;
        if (socket) {
          socket.destroy();
          await state.untilReset();
        }
        c.res = new Response(null, { status: 599, headers: { [RESET_HEADER]: '1' } });
        return;
      }
    }
  };
}
