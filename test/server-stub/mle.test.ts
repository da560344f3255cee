/**
 * The stub against an emulated CyberSource account that requires message-level encryption
 * (`EMULATOR_MLE_REQUIRED`): every flow a merchant runs, set up as a merchant sets MLE up
 * (demo/mle-settings.ts). The account refuses any payments, TMS or search body that arrives
 * plain, and encrypts every answer to the stub's response key, so a flow that works here sent
 * all of its bodies encrypted and read every answer through the decryption.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../emulator/control/request-log.ts';
import { findPayment } from '../../server-stub/store/payments.ts';
import { armFault } from '../hardening/support.ts';
import { ADMIN_TOKEN, admin, type Harness, MASTERCARD, mleHarness, Shopper } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await mleHarness();
});
afterAll(async () => {
  h.emulator.state.reset(); // lets go of the answer the timeout fault holds
  await h.close();
});

const log = (): readonly LoggedRequest[] => h.emulator.state.requests.list();
const takesMle = (r: LoggedRequest) =>
  (r.method === 'POST' || r.method === 'PATCH') &&
  (/^\/(pts|tms)\//.test(r.path) || r.path === '/tss/v2/searches');

describe('with message-level encryption required', () => {
  it('pays, saves, pays with the saved card, sets a default and deletes, all encrypted', async () => {
    const s = new Shopper(h);
    const first = await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true });
    expect(first.status).toBe(201);
    expect(first.body.payment).toMatchObject({ status: 'succeeded', amount: 2500 });
    await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, MASTERCARD);
    const { paymentMethods } = (await s.request('GET', '/api/payment-methods')).body;
    expect(paymentMethods.map((m: { last4: string }) => m.last4).sort()).toEqual(['1111', '4444']);

    const visa = paymentMethods.find((m: { last4: string }) => m.last4 === '1111');
    const again = await s.request('POST', '/api/checkout/payments', {
      paymentMethodId: visa.id,
      item: { id: 'tshirt' },
    });
    expect(again.status).toBe(201);
    expect(again.body.payment.card).toEqual({ brand: 'visa', last4: '1111' });

    const mc = paymentMethods.find((m: { last4: string }) => m.last4 === '4444');
    expect((await s.request('PUT', `/api/payment-methods/${mc.id}/default`)).status).toBe(200);
    expect((await s.request('DELETE', `/api/payment-methods/${visa.id}`)).status).toBe(204);
    const left = (await s.request('GET', '/api/payment-methods')).body.paymentMethods;
    expect(left).toMatchObject([{ last4: '4444', default: true }]);
  });

  it('starts a subscription, renews it, and refunds in part and in full', async () => {
    const s = new Shopper(h);
    const start = await s.payNewCard({ id: 'pro-monthly' });
    expect(start.status).toBe(201);
    const merchant = admin(h, ADMIN_TOKEN);
    const sub = start.body.subscription;
    const renewed = await merchant('POST', `/api/admin/subscriptions/${sub.id}/renewals`, {
      period: 2,
    });
    expect(renewed.status).toBe(201);
    expect(renewed.body.payment).toMatchObject({ status: 'succeeded', amount: 900 });

    const paid = await s.payNewCard({ id: 'tshirt' });
    const id = paid.body.payment.id;
    const part = await merchant('POST', `/api/admin/payments/${id}/refunds`, { amount: 1000 });
    expect(part.status).toBe(201);
    const rest = await merchant('POST', `/api/admin/payments/${id}/refunds`, {});
    expect(rest.status).toBe(201);
    expect(rest.body.payment.refundedAmount).toBe(2500);
  });

  it('reconciles a payment whose answer was lost through an encrypted search', async () => {
    const s = new Shopper(h);
    const body = await s.newCardBody({ id: 'tshirt' });
    await armFault(h, { method: 'POST', path: '/pts/v2/payments', fault: 'timeout' });
    const lost = await s.request('POST', '/api/checkout/payments', body);
    expect(lost.status).toBe(202);
    const from = log().length;
    await h.stub.reconciler.runOnce();
    expect((await findPayment(h.stub.db, lost.body.payment.id))?.status).toBe('succeeded');
    expect(
      log()
        .slice(from)
        .map((r) => `${r.method} ${r.path}`),
    ).toContain('POST /tss/v2/searches');
  });

  it('sent every body encrypted, asked for every answer encrypted, and read them all', () => {
    const calls = log();
    expect(calls.filter(takesMle).length).toBeGreaterThan(10);
    for (const r of calls) {
      expect(r.mle?.refused, `${r.method} ${r.path}`).toBeUndefined();
      expect(r.mle?.responseKid, `${r.method} ${r.path}`).toBe('demo-response-key');
      if (takesMle(r)) expect(r.mle?.requestDecrypted, `${r.method} ${r.path}`).toBe(true);
    }
    expect(h.logs.text).not.toContain('could not be decrypted');
    // Neither the key nor what it guards reaches the stub's log.
    for (const secret of ['PRIVATE KEY', 'encryptedRequest', 'encryptedResponse', 'eyJ'])
      expect(h.logs.text).not.toContain(secret);
  });
});
