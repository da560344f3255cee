/**
 * @module `tsx server-stub/renew-due.ts`: renews every subscription that is due (period ended,
 * retry schedule allowing an attempt), with the same configuration as the server (environment),
 * then exits. Exit code 1 when any renewal failed for a reason other than a decline, a review or
 * an unknown outcome (those the schedule and the reconciler handle).
 */
import { ConfigError } from './config/env.ts';
import { renewDue } from './renew-due-run.ts';
import { createStub } from './stub.ts';

async function main(): Promise<number> {
  const stub = await createStub();
  try {
    const report = await renewDue(stub);
    return report.failed.length > 0 ? 1 : 0;
  } finally {
    await stub.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(
      err instanceof ConfigError ? err.message : 'renew-due failed',
      err instanceof ConfigError ? '' : err,
    );
    process.exit(1);
  },
);
