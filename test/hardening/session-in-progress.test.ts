/**
 * RELIABILITY-FACTS §3.6: never send a fresh authorization while one is unknown. A shopper
 * whose earlier payment is pending or unknown (in this checkout session or any other, or with a
 * saved card) is refused a new one with 409 `payment_in_progress`, before anything reaches
 * CyberSource.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armFault, type HardeningHarness, hardeningHarness, SetupShopper } from './support.ts';

let h: HardeningHarness;
beforeAll(async () => {
  h = await hardeningHarness();
});
afterAll(() => h.close());

const sales = () =>
  h.emulator.state.requests
    .list()
    .filter((r) => r.method === 'POST' && r.path === '/pts/v2/payments').length;

describe('payment in progress', () => {
  it('refuses a second sale in a session whose first one is unknown', async () => {
    const shopper = new SetupShopper(h);
    const s = await shopper.session();
    const before = sales();
    await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: 'timeout' });
    const first = await shopper.request('POST', '/api/checkout/payments', {
      sessionId: s.sessionId,
      transientToken: await shopper.token(s.captureContext),
      item: { id: 'tshirt' },
    });
    expect(first.status).toBe(202);
    expect(first.body.error.code).toBe('payment_outcome_unknown');

    const second = await shopper.request('POST', '/api/checkout/payments', {
      sessionId: s.sessionId,
      transientToken: await shopper.token(s.captureContext),
      item: { id: 'tshirt' },
    });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'payment_in_progress',
      message: 'We are still confirming your previous payment.',
    });
    expect(sales() - before).toBe(1);
  });

  it('refuses a saved-card payment or a new checkout while the shopper has one unknown', async () => {
    const shopper = new SetupShopper(h);
    const saved = await shopper.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    expect(saved.status).toBe(201);
    const before = sales();
    await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: '502' });
    const withSaved = { paymentMethodId: saved.body.paymentMethodId, item: { id: 'tshirt' } };
    const first = await shopper.request('POST', '/api/checkout/payments', withSaved);
    expect(first.body.error.code).toBe('payment_outcome_unknown');

    // The shopper reloads and pays again: with the saved card, then in a new checkout.
    const again = await shopper.request('POST', '/api/checkout/payments', withSaved);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('payment_in_progress');
    const fresh = await shopper.payNewCard({ id: 'tshirt' });
    expect(fresh.status).toBe(409);
    expect(fresh.body.error.code).toBe('payment_in_progress');
    expect(sales() - before).toBe(1);
  });
});
