/**
 * A renew-due run while CyberSource does not answer (every sale times out or fails with a 5xx):
 * each renewal is a payment of unknown outcome the reconciler must look up, and at the 30 s
 * timeout a run of 500 would last four hours. The run stops itself after a few in a row and
 * says so (`halted`), the rest still due for the next run.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  renewDue,
  THROTTLE_PAUSES_MS,
  UNANSWERED_IN_A_ROW,
} from '../../server-stub/renew-due-run.ts';
import { upstreamCalls } from '../server-stub/harness.ts';
import { armFault, type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

const DAY = 86_400_000;
let h: HardeningHarness;
/** How CyberSource answers the stub's n-th sale (from 0) in place of the emulator, where set. */
let saleAnswer: ((n: number) => Response | Promise<Response> | undefined) | undefined;
beforeEach(async () => {
  saleAnswer = undefined;
  let n = 0;
  h = await hardeningHarness({
    wrapFetch: (f) => async (input, init) => {
      const sale = init?.method === 'POST' && String(input).endsWith('/pts/v2/payments');
      return (sale && saleAnswer?.(n++)) || f(input, init);
    },
  });
});
afterEach(() => h.close());

/** CyberSource answering no sale from now on (a 502 before processing, nothing charged). */
const outage = () =>
  armFault(h, {
    method: 'POST',
    path: '/pts/v2/payments',
    fault: '502',
    processed: false,
    times: 1000,
  });

const sales = async () =>
  (await upstreamCalls(h)).filter((c) => c.method === 'POST' && c.path === '/pts/v2/payments')
    .length;

it('stops after renewals in a row with no answer, the rest left due; answered ones reset the count', async () => {
  const subs: string[] = [];
  for (let i = 0; i < UNANSWERED_IN_A_ROW + 3; i++)
    subs.push((await new SetupShopper(h).payNewCard({ id: 'pro-monthly' })).body.subscription.id);
  h.clock.advance(31 * DAY);
  const before = await sales();
  await outage();
  const report = await renewDue(h.stub);
  expect(report.halted).toBe('cybersource_unanswered');
  expect(report.held).toHaveLength(UNANSWERED_IN_A_ROW);
  expect(report.notStarted).toHaveLength(3);
  expect([...report.held, ...report.notStarted].sort()).toEqual([...subs].sort());
  expect(report.failed).toEqual([]);
  expect(await sales()).toBe(before + UNANSWERED_IN_A_ROW);
  expect(h.logs.text).toContain('renew-due stopped: CyberSource answered none');

  // CyberSource back: the next run renews the rest (the unanswered ones are the reconciler's).
  h.emulator.state.faults.clear();
  const next = await renewDue(h.stub);
  expect(next.halted).toBeUndefined();
  expect(next.renewed.sort()).toEqual([...report.notStarted].sort());
});

it.each([
  // Approved by the emulator.
  ['approved', (): Response | undefined => undefined, 'renewed'],
  // Refused, nothing charged: 402 payment_canceled, reason gateway_throttled.
  [
    'refused 429 (throttled)',
    () => Response.json({ message: 'Too many requests' }, { status: 429 }),
    'failed',
  ],
] as const)(
  'does not stop for unanswered renewals between ones CyberSource answered: %s',
  async (_, answered, listedAs) => {
    for (let i = 0; i < UNANSWERED_IN_A_ROW * 2; i++)
      await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
    h.clock.advance(31 * DAY);
    // Every other sale unanswered (502, nothing processed): never three in a row.
    saleAnswer = (n) =>
      n % 2 === 0
        ? Response.json({ status: 'SERVER_ERROR', reason: 'SYSTEM_ERROR' }, { status: 502 })
        : answered();
    const report = await renewDue(h.stub);
    expect(report.halted).toBeUndefined();
    expect(report.notStarted).toEqual([]);
    expect(report.held).toHaveLength(UNANSWERED_IN_A_ROW);
    expect(report[listedAs]).toHaveLength(UNANSWERED_IN_A_ROW);
  },
);

it('two runs at once during the outage both halt: a skip of the other run’s renewal is no answer', async () => {
  for (let i = 0; i < 12; i++) await new SetupShopper(h).payNewCard({ id: 'pro-monthly' });
  h.clock.advance(31 * DAY);
  const before = await sales();
  await outage();
  const [a, b] = await Promise.all([renewDue(h.stub), renewDue(h.stub)]);
  expect(a.halted).toBe('cybersource_unanswered');
  expect(b.halted).toBe('cybersource_unanswered');
  // Each stopped after its own three: not all 12 charged into the outage.
  expect((await sales()) - before).toBe(2 * UNANSWERED_IN_A_ROW);
});

describe('CyberSource refusing renewals as too many requests (429)', () => {
  const throttled = () => Response.json({ message: 'Too many requests' }, { status: 429 });
  let pauses: number[];
  /** The stub's sleep, recorded; `hold` keeps a pause from ending (a SIGTERM must cut it). */
  let hold: boolean;
  beforeEach(async () => {
    await h.close();
    pauses = [];
    hold = false;
    let n = 0;
    h = await hardeningHarness({
      sleep: (ms) => {
        pauses.push(ms);
        return hold ? new Promise<void>(() => undefined) : Promise.resolve();
      },
      wrapFetch: (f) => async (input, init) => {
        const sale = init?.method === 'POST' && String(input).endsWith('/pts/v2/payments');
        return (sale && saleAnswer?.(n++)) || f(input, init);
      },
    });
  });

  const dueSubscriptions = async (count: number) => {
    const subs: string[] = [];
    for (let i = 0; i < count; i++)
      subs.push((await new SetupShopper(h).payNewCard({ id: 'pro-monthly' })).body.subscription.id);
    h.clock.advance(31 * DAY);
    pauses = [];
    return subs;
  };

  it('pauses after each, stops after three in a row, and leaves the rest due without counting a retry', async () => {
    const subs = await dueSubscriptions(THROTTLE_PAUSES_MS.length + 4);
    let sent = 0;
    saleAnswer = () => {
      sent++;
      return throttled();
    };
    const report = await renewDue(h.stub);
    expect(report.halted).toBe('cybersource_throttled');
    // Three sales, a growing pause before the second and the third; none after the third.
    expect(sent).toBe(THROTTLE_PAUSES_MS.length + 1);
    expect(pauses).toEqual([...THROTTLE_PAUSES_MS]);
    expect(report.failed).toEqual(
      subs.slice(0, 3).map((id) => ({ id, code: 'payment_canceled', reason: 'gateway_throttled' })),
    );
    expect(report.notStarted).toEqual(subs.slice(3));
    expect(h.logs.text).toContain('renew-due stopped: CyberSource refused the last renewals');

    // Nothing was charged, so nothing counts against the shopper: the next run renews them all.
    saleAnswer = undefined;
    const next = await renewDue(h.stub);
    expect(next.halted).toBeUndefined();
    expect(next.renewed.sort()).toEqual([...subs].sort());
  });

  it('goes on when a renewal between throttled ones is answered, pausing only after a 429', async () => {
    const subs = await dueSubscriptions(6);
    // 429, 429, approved, 429, 429, approved: never three refusals in a row.
    saleAnswer = (n) => (n % 3 === 2 ? undefined : throttled());
    const report = await renewDue(h.stub);
    expect(report.halted).toBeUndefined();
    expect(report.notStarted).toEqual([]);
    expect(report.renewed).toEqual([subs[2], subs[5]]);
    expect(report.failed.map((f) => f.reason)).toEqual(Array(4).fill('gateway_throttled'));
    expect(pauses).toEqual([1_000, 5_000, 1_000, 5_000]);
  });

  it('pauses once after a throttled renewal, not again before each one skipped, which sends nothing', async () => {
    const subs = await dueSubscriptions(4);
    saleAnswer = (n) =>
      n === 0
        ? (async () => {
            // Meanwhile an overlapping run renewed the rest: this run skips them.
            await h.stub.db.query(
              'UPDATE subscriptions SET next_renewal_at = $2 WHERE id = ANY($1)',
              [subs, new Date(h.clock.now().getTime() + DAY)],
            );
            return throttled();
          })()
        : undefined;
    const report = await renewDue(h.stub);
    expect(report.failed.map((f) => f.reason)).toEqual(['gateway_throttled']);
    expect(report.skipped).toHaveLength(3);
    expect(pauses).toEqual([1_000]);
  });

  it('a stop during the pause ends it at once and starts no other renewal', async () => {
    const subs = await dueSubscriptions(3);
    saleAnswer = throttled;
    hold = true;
    const stop = new AbortController();
    const run = renewDue(h.stub, { stop: stop.signal });
    await vi.waitFor(() => expect(pauses).toEqual([1_000]));
    stop.abort();
    const report = await run;
    expect(report.halted).toBeUndefined();
    expect(report.failed.map((f) => f.id)).toEqual([subs[0]]);
    expect(report.notStarted).toEqual(subs.slice(1));
  });
});
