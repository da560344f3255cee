/**
 * Issue 6 figure: the fault matrix. Every upstream call a payment flow makes × {timeout, 502,
 * 502 processed, connection reset, slow}, each run through the emulator's control API, then one
 * reconcile pass after CyberSource's 60 s (fake clock), then the stub's database compared with
 * the emulator's state. `consistent: false` is a bug: charged-and-unrecorded, two sales, a row
 * left unknown, or saved cards out of step with TMS. The cases are the test suite's
 * (`test/hardening/matrix.ts`), run in-process so the whole matrix takes about a minute.
 */
import { FAULTS, runCase, SCENARIOS } from '../test/hardening/matrix.ts';
import { hardeningHarness } from '../test/hardening/support.ts';

export async function benchFaultMatrix(): Promise<
  Array<{ call: string; fault: string; outcome: string; consistent: boolean }>
> {
  const h = await hardeningHarness();
  const rows: Array<{ call: string; fault: string; outcome: string; consistent: boolean }> = [];
  try {
    for (const scenario of SCENARIOS) {
      for (const fault of FAULTS) {
        try {
          const r = await runCase(h, scenario, fault);
          rows.push({
            call: r.call,
            fault: r.fault,
            outcome: r.consistent ? r.outcome : `${r.outcome} — ${r.problems.join('; ')}`,
            consistent: r.consistent,
          });
        } catch (err) {
          rows.push({
            call: scenario.call,
            fault,
            outcome: `case failed: ${err instanceof Error ? err.message : String(err)}`,
            consistent: false,
          });
        }
      }
    }
  } finally {
    await h.close();
  }
  return rows;
}
