/**
 * @module Stopping `npm run server` without dropping what is in flight (README "Stopping"). On
 * SIGTERM or SIGINT:
 * 1. drain (`http/drain.ts`): `/healthz` answers 503 and answers close their connections, while
 *    the port stays open for SHUTDOWN_DELAY_SECONDS. A load balancer stops sending only once its
 *    probe has failed, and Kubernetes takes a pod out of its Service's endpoints while (not
 *    before) it sends SIGTERM ("Pod Lifecycle", Termination of Pods), so a port closed at once
 *    refuses the requests still routed to it;
 * 2. close the port: no new connections, idle kept-alive ones closed (Node's `server.close`),
 *    requests in flight answered;
 * 3. close the stub (handlers still running finish, the shopper's connection closed or not; the
 *    reconciler's pass ends; the database closes) and exit 0.
 * SHUTDOWN_TIMEOUT_SECONDS after the signal, whatever is still open is cut and the process exits
 * 1; a second signal cuts at once. A payment cut so is the crash path: its pending row, written
 * before CyberSource was called, is finished by the reconciler of the next start
 * (RELIABILITY-FACTS §3.6), and the shopper's retry with the same Idempotency-Key gets its answer.
 */
import type { Server } from 'node:http';
import type { Logger } from './logger.ts';

export interface ShutdownDeps {
  server: Server;
  stub: { drain(): void; inFlight(): number; close(): Promise<void> };
  delayMs: number;
  /** From the signal; more than `delayMs` (the configuration refuses otherwise). */
  timeoutMs: number;
  logger: Logger;
  exit: (code: number) => void;
}

/** The handler for the stop signals. */
export function stopOnSignal(d: ShutdownDeps): (signal: NodeJS.Signals) => void {
  let stopping = false;
  const cut = (why: string) => {
    d.logger.error({ inFlight: d.stub.inFlight() }, why);
    d.server.closeAllConnections();
    d.exit(1);
  };
  return (signal) => {
    if (stopping) {
      cut(`${signal} again: connections cut`);
      return;
    }
    stopping = true;
    d.stub.drain();
    d.logger.info(
      { signal, inFlight: d.stub.inFlight(), delayMs: d.delayMs, timeoutMs: d.timeoutMs },
      'stopping: /healthz answers 503, requests still served until the port closes',
    );
    const deadline = setTimeout(
      () => cut('shutdown timeout: connections still open cut'),
      d.timeoutMs,
    );
    setTimeout(() => {
      d.logger.info(
        { inFlight: d.stub.inFlight() },
        'stopping: port closed, finishing requests in flight',
      );
      d.server.close(() => {
        d.stub.close().then(
          () => {
            clearTimeout(deadline);
            d.logger.info('stopped');
            d.exit(0);
          },
          (err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            cut(`stopping: closing the stub failed: ${message}`);
          },
        );
      });
    }, d.delayMs);
  };
}
