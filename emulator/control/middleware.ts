/**
 * @module The wrappers around every REST answer: latency and the request log (outermost), and
 * scripted faults (after authentication, so a fault only ever hits a request the real service
 * would have accepted, and a refused request never uses one up).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { serverError } from '../payments/errors.ts';
import type { ArmedFault } from './faults.ts';
import { SLOW_MS } from './faults.ts';

/** Marks an answer whose connection the in-process fetch must turn into a network error. */
export const RESET_HEADER = 'x-emulator-connection-reset';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Adds this request's log entry now: when the answer is decided, not when it is delivered. */
function logRequest(c: Context<EmulatorEnv>, { state }: EmulatorDeps, status: number): void {
  if (c.get('logged')) return;
  c.set('logged', true);
  const fault = c.get('fault');
  const mle = c.get('mle');
  state.requests.add({
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status,
    at: state.now().toISOString(),
    ...(fault ? { fault } : {}),
    ...(mle ? { mle } : {}),
  });
}

/**
 * One log entry per request (status 0: no answer), and the injected latency: the answer leaves
 * `latencyMs` after the request arrived, its processing included (never sooner than the
 * processing takes). That is how a real service's latency reaches a client: one round-trip
 * time, not a delay on top of work the client cannot tell apart from it. The request is acted
 * on when it arrives and its answer is held back, as on a slow link.
 */
export function latencyAndLog(deps: EmulatorDeps): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    c.set('arrived', performance.now());
    await next();
    logRequest(c, deps, c.res.status);
    await untilLatency(c, deps);
  };
}

/** Waits out what is left of the injected latency since the request arrived. */
async function untilLatency(c: Context<EmulatorEnv>, deps: EmulatorDeps): Promise<void> {
  const left = deps.state.latencyMs - (performance.now() - (c.get('arrived') ?? 0));
  if (left > 0) await sleep(left);
}

/** What the client sees when the answer is lost: nothing (timeout) or a dropped socket. */
async function loseAnswer(c: Context<EmulatorEnv>, deps: EmulatorDeps, kind: 'timeout' | 'reset') {
  logRequest(c, deps, 0);
  if (kind === 'timeout') {
    // Never answer; a reset, a server closing its sockets, or the client's own timeout ends this.
    await deps.state.untilReset();
    return new Response(null, { status: 504 });
  }
  const socket = c.env?.incoming?.socket;
  if (socket) {
    // The reset reaches the client when an answer would have: after the latency.
    await untilLatency(c, deps);
    socket.destroy();
    await deps.state.untilReset();
  }
  return new Response(null, { status: 599, headers: { [RESET_HEADER]: '1' } });
}

/** Fires the first armed fault matching an authenticated request (control/faults.ts). */
export function faults(deps: EmulatorDeps): MiddlewareHandler<EmulatorEnv> {
  return async (c, next) => {
    const fault: ArmedFault | undefined = deps.state.faults.take(
      c.req.method,
      new URL(c.req.url).pathname,
    );
    if (!fault) {
      await next();
      return undefined;
    }
    c.set('fault', fault.kind);
    // The answer of these faults is known now (none, or a 502): log it before any work, so a
    // client that has already given up finds its request in the log.
    if (fault.kind !== 'slow') logRequest(c, deps, fault.kind === '502' ? 502 : 0);
    if (!fault.processed) {
      // The request never reached the processor: nothing happened, the answer says so or not.
      if (fault.kind === '502') return serverError(c, deps.state.submitTimeUtc(), 'SYSTEM_ERROR');
      if (fault.kind === 'timeout' || fault.kind === 'reset')
        return loseAnswer(c, deps, fault.kind);
    }
    await next();
    switch (fault.kind) {
      case '502':
        c.res = serverError(c, deps.state.submitTimeUtc(), 'SERVER_TIMEOUT');
        return undefined;
      case 'slow':
        logRequest(c, deps, c.res.status);
        await sleep(SLOW_MS);
        return undefined;
      case 'timeout':
      case 'reset':
        c.res = await loseAnswer(c, deps, fault.kind);
        return undefined;
    }
  };
}
