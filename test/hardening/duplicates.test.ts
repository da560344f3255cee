/**
 * 1000 submissions of one payment with the same Idempotency-Key and body (issue 6;
 * RELIABILITY-FACTS §2.1): 500 at once (at most 50 in flight) while the first is still running,
 * then 500 one after another. Exactly one `POST /pts/v2/payments` reaches CyberSource and every
 * answer is the first one. In-process (no sockets) so the 1000 requests stay fast.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, harness, upstreamCalls } from '../server-stub/harness.ts';
import { SetupShopper } from './support.ts';

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let h: Harness;
beforeAll(async () => {
  // Duplicates poll the database for the first answer, so they need a sleep that really waits.
  h = await harness({ sleep: realSleep, reconcile: { intervalMs: 0 } });
});
afterAll(() => h.close());

/** Runs `task` `count` times with at most `limit` running at once; results in start order. */
async function bounded<T>(count: number, limit: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await task();
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

describe('1000 duplicate submissions of one payment', () => {
  it.each([
    ['a new card', 'new'],
    ['a saved card', 'saved'],
  ])('make one sale with %s, and every answer is the first', async (_label, kind) => {
    const s = new SetupShopper(h);
    let body: Record<string, unknown>;
    if (kind === 'new') {
      const session = await s.session();
      const transientToken = await s.token(session.captureContext);
      body = { sessionId: session.sessionId, transientToken, item: { id: 'tshirt' } };
    } else {
      const saved = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
      body = { paymentMethodId: saved.body.paymentMethodId, item: { id: 'tshirt' } };
    }
    const before = (await upstreamCalls(h)).filter((c) => c.path === '/pts/v2/payments').length;
    const key = `dup-${kind}-${process.pid}`;
    const submit = async () => {
      const r = await s.request('POST', '/api/checkout/payments', body, { 'idempotency-key': key });
      return { status: r.status, body: r.body };
    };
    const concurrent = await bounded(500, 50, submit);
    const sequential = await bounded(500, 1, submit);
    const answers = [...concurrent, ...sequential];

    const sales = (await upstreamCalls(h)).filter((c) => c.path === '/pts/v2/payments');
    expect(sales.length - before).toBe(1);
    expect(answers).toHaveLength(1000);
    const [first] = answers;
    expect(first?.status).toBe(201);
    expect(first?.body.payment.status).toBe('succeeded');
    // Deep equality: replays come from a jsonb column, which keeps values but not key order.
    const different = answers.filter((a) => !isDeepStrictEqual(a, first));
    expect(different).toEqual([]);
  });
});
