/**
 * @module `npm run renew-due` (`node --import tsx server-stub/renew-due.ts`): renews every subscription that is due (period ended,
 * retry schedule allowing an attempt), with the same configuration as the server (environment),
 * then exits. Its report is the last line on stdout, one JSON object, whatever LOG_LEVEL says.
 * Exit code 1 when any renewal failed for a reason other than a decline, a review or an unknown
 * outcome (those the schedule and the reconciler handle), when the run stopped itself because
 * CyberSource answered none of several renewals in a row or refused them as too many requests
 * (`halted`), or it could not start; 75
 * (EX_TEMPFAIL) when another process holds DATA_DIR (a run still going, or the server): a
 * scheduler tries again later, and no alarm is raised for an overlap. On SIGTERM or SIGINT it
 * finishes the renewal in flight, starts no other (they stay due) and exits as usual. On the
 * embedded database it runs only while no server holds DATA_DIR (PGlite serves one process,
 * `store/data-dir-lock.ts`); beside a running server, a scheduler calls
 * `POST /api/admin/renew-due` instead.
 */
import { randomBytes } from 'node:crypto';
import { ConfigError } from './config/env.ts';
import { type RenewDueReport, renewDue } from './renew-due-run.ts';
import { DataDirLocked } from './store/index.ts';
import { createStub } from './stub.ts';

/** sysexits.h: "temporary failure; user is invited to retry". */
const EX_TEMPFAIL = 75;

async function main(): Promise<number> {
  // A job answers no shopper, so no cookie is ever signed: a throwaway key, never written to
  // DATA_DIR, and no warning that COOKIE_SECRET must be shared with DATABASE_URL.
  const stub = await createStub({
    cookieSecret: randomBytes(32).toString('base64url'),
    requireDurableStore: true,
  });
  // A scheduler's stop (a Kubernetes CronJob's deadline, a drained node) ends the run between
  // renewals, not inside a charge; a second signal kills it (Node's default, the handler gone).
  const stop = new AbortController();
  const stopping = (signal: NodeJS.Signals) => {
    stub.checkout.logger.warn({ signal }, 'renew-due: stopping after the renewal in flight');
    stop.abort();
  };
  process.once('SIGTERM', stopping);
  process.once('SIGINT', stopping);
  let report: RenewDueReport;
  try {
    report = await renewDue(stub, { stop: stop.signal });
  } finally {
    // Before the report: the reconciler's lines while it stops come first too.
    await stub.close();
  }
  // pino writes to stdout asynchronously (sonic-boom), this write is synchronous: without the
  // flush, "renew-due finished" often came after the report a scheduler's wrapper reads with
  // `tail -1`.
  await new Promise<void>((resolve) => stub.checkout.logger.flush(() => resolve()));
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return report.failed.length > 0 || report.halted ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const plain = err instanceof ConfigError || err instanceof DataDirLocked;
    console.error(plain ? err.message : 'renew-due failed', plain ? '' : err);
    process.exit(err instanceof DataDirLocked ? EX_TEMPFAIL : 1);
  },
);
