import { beforeEach, describe, expect, it } from 'vitest';
import { inProcessFetch } from '../../../emulator/in-process.ts';
import { cardPayment, setup } from './setup.ts';

const t = setup();
const control = inProcessFetch(t.emulator);

const decide = async (id: string, body: unknown) => {
  const res = await control(`http://localhost:4010/__emulator/reviews/${id}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

/** A sale held for review by the 2200.00 trigger (AVS_FAILED). */
async function heldSale(code = 'order-review') {
  const r = await t.post(
    '/pts/v2/payments',
    cardPayment({ amount: '2200.00', capture: true, code }),
  );
  expect(r.body.status).toBe('AUTHORIZED_PENDING_REVIEW');
  return r.body.id as string;
}

describe('POST /__emulator/reviews/{id} (a Business Center review decision)', () => {
  beforeEach(() => t.reset());

  it('accepts: the sale reads AUTHORIZED and is captured, so it can be refunded', async () => {
    const id = await heldSale();
    expect(await decide(id, { decision: 'accept' })).toEqual({
      status: 200,
      body: { id, status: 'AUTHORIZED' },
    });
    const details = await t.call(`/tss/v2/transactions/${id}`);
    expect(details.body.applicationInformation.status).toBe('AUTHORIZED');
    const refund = await t.post(`/pts/v2/payments/${id}/refunds`, {
      clientReferenceInformation: { code: 'refund-1' },
      orderInformation: { amountDetails: { totalAmount: '2200.00', currency: 'USD' } },
    });
    expect(refund.status).toBe(201);
  });

  it('rejects: the authorization is reversed and reads REVERSED', async () => {
    const id = await heldSale('order-rejected');
    expect((await decide(id, { decision: 'reject' })).body).toEqual({ id, status: 'REVERSED' });
    const details = await t.call(`/tss/v2/transactions/${id}`);
    expect(details.body.applicationInformation.status).toBe('REVERSED');
    expect(details.body._links.relatedTransactions).toHaveLength(1);
    const capture = await t.post(`/pts/v2/payments/${id}/captures`, {
      clientReferenceInformation: { code: 'cap-1' },
      orderInformation: { amountDetails: { totalAmount: '2200.00', currency: 'USD' } },
    });
    expect(capture.body.reason).toBe('AUTH_ALREADY_REVERSED');
  });

  it('refuses a second decision, an approved payment, an unknown id and a bad body', async () => {
    const id = await heldSale();
    await decide(id, { decision: 'accept' });
    const again = await decide(id, { decision: 'reject' });
    expect([again.status, again.body.error.code]).toEqual([409, 'not_under_review']);
    const approved = await t.post('/pts/v2/payments', cardPayment({ capture: true }));
    expect((await decide(approved.body.id, { decision: 'accept' })).status).toBe(409);
    expect((await decide('1234567890123456789012', { decision: 'accept' })).status).toBe(404);
    expect((await decide(id, { decision: 'maybe' })).status).toBe(400);
    expect((await decide(id, {})).status).toBe(400);
  });
});
