/**
 * A search answer whose summary lists a service without its `name`, which CyberSource's models
 * mark optional (NODE `TssV2TransactionsPost201ResponseEmbeddedApplicationInformationApplications.md`),
 * is still read: were it refused, the lookup would count as failed and the reconciler would
 * send a timeout void, undoing a sale that went through.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { upstreamCalls } from '../server-stub/harness.ts';
import { editAnswers, type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness({
    wrapFetch: (f) =>
      editAnswers(f, (path, body) => {
        if (path === '/tss/v2/searches')
          for (const t of body._embedded?.transactionSummaries ?? [])
            t.applicationInformation?.applications?.push({ reasonCode: '100', rCode: '1' });
        return undefined;
      }),
  });
});
afterAll(() => h.close());

it('finds a sale whose answer was lost through a summary with an unnamed service, and sends no void', async () => {
  // 2000.00: the emulator records the sale and answers 502.
  const r = await new SetupShopper(h).payNewCard({ id: 'donation', amount: 200_000 });
  expect(r.body.error.code).toBe('payment_outcome_unknown');
  h.clock.advance(61_000);
  await h.stub.reconciler.runOnce();
  expect((await findPayment(h.stub.db, String(r.body.payment.id)))?.status).toBe('succeeded');
  const undos = (await upstreamCalls(h)).filter((c) => /voids|reversals/.test(c.path));
  expect(undos).toEqual([]);
});
