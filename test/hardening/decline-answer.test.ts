/**
 * A decline is read from `status` and `errorInformation.reason`; the message and the details'
 * parts are optional in CyberSource's models (NODE `PtsV2PaymentsPost201ResponseErrorInformation`),
 * so a decline without them must still reach the shopper as a decline, not as "outcome unknown".
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

/** Strips the message and the details' reasons from every payment answer that has them. */
const bareDeclines = (f: typeof fetch) => async (input: RequestInfo | URL, init?: RequestInit) => {
  const res = await f(input, init);
  if (new URL(String(input)).pathname !== '/pts/v2/payments') return res;
  const body = await res.json();
  if (body.errorInformation) {
    delete body.errorInformation.message;
    for (const d of body.errorInformation.details ?? []) delete d.reason;
  }
  return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
};

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({ wrapFetch: bareDeclines });
});
afterAll(() => h.close());

it('tells the shopper "insufficient funds" from a decline that has only a reason', async () => {
  // 2102.00: the emulator declines with INSUFFICIENT_FUND.
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 210_200 });
  expect(r.status).toBe(402);
  expect(r.body.error).toMatchObject({ code: 'card_declined', reason: 'INSUFFICIENT_FUND' });
});
