/**
 * The fault matrix (issue 6, RELIABILITY-FACTS §3.6 and §5): each upstream call × each fault ends,
 * after one reconcile pass on the fake clock, in a state the stub's database and the emulator
 * agree on. See `matrix.ts` for what "consistent" means per call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULTS, runCase, SCENARIOS } from './matrix.ts';
import { type HardeningHarness, hardeningHarness } from './support.ts';

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness();
});
afterAll(() => h.close());

describe.each(SCENARIOS.map((s) => [s.call, s] as const))('%s', (_call, scenario) => {
  it.each(FAULTS)('%s ends consistent and recorded', async (fault) => {
    const result = await runCase(h, scenario, fault);
    expect(result.problems, result.outcome).toEqual([]);
    expect(result.consistent).toBe(true);
  });
});
