/**
 * Answers CyberSource documents that the emulator does not give on its own, fed to the stub
 * through its fetch: a decline that is the merchant account's (201 DECLINED
 * INVALID_MERCHANT_CONFIGURATION, in the 2020 spec's reason enum), statuses no money call
 * documents (a proxy's 408, a 202), a 400 whose details lack a reason (optional in the SDK's
 * models), and throttling (429) on TMS.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { newKey, Shopper } from '../server-stub/harness.ts';
import { type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

/** The next answers to calls matching a method and path, in place of the emulator's. */
let rewrites: { method: string; path: RegExp; answer: () => Response }[] = [];
let calls: string[] = [];
let h: HardeningHarness;

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

beforeAll(async () => {
  h = await hardeningHarness({
    wrapFetch: (upstream) => async (input, init) => {
      const method = init?.method ?? 'GET';
      const path = new URL(String(input)).pathname;
      calls.push(`${method} ${path}`);
      const i = rewrites.findIndex((r) => r.method === method && r.path.test(path));
      if (i < 0) return upstream(input, init);
      const [rewrite] = rewrites.splice(i, 1);
      return rewrite?.answer() ?? upstream(input, init);
    },
  });
});
afterAll(() => h.close());
beforeEach(() => {
  rewrites = [];
  calls = [];
});

const sale = (answer: () => Response) =>
  rewrites.push({ method: 'POST', path: /^\/pts\/v2\/payments$/, answer });

async function lastPaymentId(): Promise<string> {
  const r = await h.stub.db.query('SELECT id FROM payments ORDER BY created_at DESC LIMIT 1');
  return (r.rows[0] as { id: string }).id;
}

it("a decline for the merchant account's configuration tells the shopper nothing was charged, counts no decline, and is logged as an error", async () => {
  const refused = () =>
    json(201, {
      id: '7000000000000000000001',
      submitTimeUtc: '2026-11-28T17:30:00Z',
      status: 'DECLINED',
      errorInformation: {
        reason: 'INVALID_MERCHANT_CONFIGURATION',
        message: 'Decline - There is a problem with the information in your CyberSource account.',
      },
    });
  const shopper = new SetupShopper(h);
  const answers: [number, string][] = [];
  // More than any decline cap allows: none of these is the card's fault.
  for (let i = 0; i < 7; i += 1) {
    sale(refused);
    const r = await shopper.payNewCard({ id: 'tshirt' });
    answers.push([r.status, r.body.error.code]);
    expect(r.body.error.reason).toBe('INVALID_MERCHANT_CONFIGURATION');
    // CyberSource's words for the merchant are not the shopper's.
    expect(r.body.error.message).not.toMatch(/CyberSource account/);
  }
  expect(answers).toEqual(Array(7).fill([402, 'payment_canceled']));
  expect(await findPayment(h.stub.db, await lastPaymentId())).toMatchObject({
    status: 'failed',
    decline_reason: 'INVALID_MERCHANT_CONFIGURATION',
  });
  expect(h.logs.text).toMatch(/"level":50[^\n]*merchant account's configuration/);
  // Once the account is fixed, the same shopper pays.
  expect((await shopper.payNewCard({ id: 'tshirt' })).status).toBe(201);
});

it.each([
  [408, { message: 'Request Timeout' }],
  [202, { status: 'ACCEPTED' }],
])(
  'a sale answered %i (a status no payment answer documents) is an unknown outcome, never "not charged"',
  async (status, body) => {
    sale(() => json(status, body));
    const r = await new SetupShopper(h).payNewCard({ id: 'tshirt' });
    expect([r.status, r.body.error.code]).toEqual([202, 'payment_outcome_unknown']);
    // Left to the lookup, which searches for it (a refusal would have been recorded at once).
    h.clock.advance(61_000);
    await h.stub.reconciler.runOnce();
    expect(calls).toContain('POST /tss/v2/searches');
  },
);

it.each([
  [404, 'not_found'],
  [409, 'gateway_conflict'],
])(
  'a sale refused %i is "not charged" (402 payment_canceled), not "something went wrong"',
  async (status, reason) => {
    sale(() => json(status, { message: 'refused' }));
    const r = await new SetupShopper(h).payNewCard({ id: 'tshirt' });
    expect([r.status, r.body.error.code, r.body.error.reason]).toEqual([
      402,
      'payment_canceled',
      reason,
    ]);
  },
);

it('a 400 whose details lack a reason still names its fields', async () => {
  sale(() =>
    json(400, {
      reason: 'INVALID_DATA',
      message: 'Declined - One or more fields in the request contains invalid data',
      details: [{ field: 'orderInformation.billTo.postalCode' }, { reason: 'INVALID_DATA' }],
    }),
  );
  const r = await new SetupShopper(h).payNewCard({ id: 'tshirt' });
  expect(r.status).toBe(400);
  expect(r.body.error).toMatchObject({
    code: 'gateway_invalid_request',
    reason: 'INVALID_DATA',
    details: [{ field: 'orderInformation.billTo.postalCode', reason: 'INVALID_DATA' }],
  });
});

it("logs what CyberSource support asks for (correlation id, reason, field names), never the answer's text", async () => {
  sale(() =>
    json(
      400,
      {
        id: '7000000000000000000002',
        status: 'INVALID_REQUEST',
        reason: 'INVALID_DATA',
        // A message may quote what was sent: never logged.
        message: 'Declined - paymentInformation.card.number 4111111111111111 is invalid',
        details: [{ field: 'orderInformation.billTo.postalCode', reason: 'INVALID_DATA' }],
      },
      { 'v-c-correlation-id': 'corr-5f2a-9b1c' },
    ),
  );
  const before = h.logs.lines.length;
  await new SetupShopper(h).payNewCard({ id: 'tshirt' });
  const logged = h.logs.lines.slice(before).join('');
  const call = logged.split('\n').find((l) => l.includes('"path":"/pts/v2/payments"'));
  expect(JSON.parse(call ?? '{}').upstream).toMatchObject({
    outcome: 400,
    correlationId: 'corr-5f2a-9b1c',
    refusal: {
      id: '7000000000000000000002',
      status: 'INVALID_REQUEST',
      reason: 'INVALID_DATA',
      fields: ['orderInformation.billTo.postalCode'],
    },
  });
  expect(logged).not.toContain('4111111111111111');
  expect(logged).not.toContain('is invalid');
});

it('TMS throttling: a read is asked again, and a removal refused by a 429 leaves the card usable', async () => {
  const s = new Shopper(h);
  const saved = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
  expect(saved.status).toBe(201);
  const id: string = saved.body.paymentMethodId;
  const throttled = () => json(429, { message: 'Too many requests' }, { 'retry-after': '1' });

  rewrites.push({ method: 'GET', path: /\/payment-instruments$/, answer: throttled });
  const listed = await s.request('GET', '/api/payment-methods');
  expect(listed.status).toBe(200);
  expect(listed.body.paymentMethods.map((m: { id: string }) => m.id)).toEqual([id]);
  expect(calls.filter((c) => c.endsWith('/payment-instruments'))).toHaveLength(2);

  rewrites.push({ method: 'DELETE', path: /\/payment-instruments\//, answer: throttled });
  const removed = await s.request('DELETE', `/api/payment-methods/${id}`);
  expect([removed.status, removed.body.error.code]).toEqual([503, 'gateway_throttled']);
  // Nothing was deleted: the card is listed and pays at once, not held for minutes.
  const again = await s.request('GET', '/api/payment-methods');
  expect(again.body.paymentMethods.map((m: { id: string }) => m.id)).toEqual([id]);
  const paid = await s.request(
    'POST',
    '/api/checkout/payments',
    { paymentMethodId: id, item: { id: 'tshirt' } },
    { 'idempotency-key': newKey() },
  );
  expect(paid.status).toBe(201);
});
