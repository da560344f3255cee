/**
 * The stub with message-level encryption set up wrong, or put wrong by CyberSource's side (a
 * response key rotated in the Business Center, an emulator restarted): answers it cannot
 * decrypt and refusals of the encryption itself. Nothing a shopper saved may be lost, no payment
 * called failed when money may have moved, and no renewal counted against the shopper's card.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findPayment } from '../../server-stub/store/payments.ts';
import { armFault } from '../hardening/support.ts';
import { ADMIN_TOKEN, admin, type Harness, mleHarness, Shopper } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await mleHarness();
});
afterEach(async () => {
  h.emulator.state.reset(); // lets go of an answer a timeout fault holds
  await h.close();
});

const control = (method: string, path: string, body?: unknown, on = h) =>
  on.emulatorFetch(`http://localhost:4010/__emulator/mle${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** CyberSource now encrypts its answers to a key the stub does not hold. */
async function rotateResponseKey(on = h) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  const r = await control('PUT', '/response-keys/demo-response-key', { publicKey: pem }, on);
  expect(r.status).toBe(204);
}

const savedRows = async () => {
  const { rows } = await h.stub.db.query('SELECT count(*) AS n FROM payment_methods');
  return Number((rows[0] as { n: unknown } | undefined)?.n);
};

describe('an answer the stub cannot decrypt', () => {
  it('is an error for a card list, never an empty list: the saved cards stay', async () => {
    const s = new Shopper(h);
    expect((await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true })).status).toBe(201);
    expect(await savedRows()).toBe(1);
    await rotateResponseKey();
    const list = await s.request('GET', '/api/payment-methods');
    expect(list.status).toBe(502);
    expect(list.body.error.code).toBe('gateway_response_invalid');
    expect(await savedRows()).toBe(1);
    expect(h.logs.text).toContain('cybersource answer could not be decrypted');
  });

  it('leaves a lost payment unknown: a search it cannot read finds nothing, proves nothing', async () => {
    // CyberSource's void of the lost sale's transactionId answers INVALID_DATA without details,
    // its "no such transaction" (reconcile/cancel.ts), which is final only after a search that
    // worked found nothing: an unread search must not count as one.
    let upstream: typeof fetch | undefined;
    const g = await mleHarness({
      fetch: async (input, init) => {
        if (new URL(String(input)).pathname === '/pts/v2/voids')
          return Response.json(
            {
              submitTimeUtc: '2026-11-28T12:00:00Z',
              status: 'INVALID_REQUEST',
              reason: 'INVALID_DATA',
            },
            { status: 400 },
          );
        if (!upstream) throw new Error('harness not ready');
        return upstream(input, init);
      },
    });
    upstream = g.emulatorFetch;
    try {
      const s = new Shopper(g);
      const body = await s.newCardBody({ id: 'tshirt' });
      await armFault(g, { method: 'POST', path: '/pts/v2/payments', fault: 'timeout' });
      const lost = await s.request('POST', '/api/checkout/payments', body);
      expect(lost.status).toBe(202);
      await rotateResponseKey(g);
      await g.stub.reconciler.runOnce();
      // The emulator holds the sale AUTHORIZED: the stub must not have called it not processed.
      expect((await findPayment(g.stub.db, lost.body.payment.id))?.status).toBe('unknown');
      expect(g.logs.text).toContain('reconcile: lookup failed');
    } finally {
      g.emulator.state.reset();
      await g.close();
    }
  });
});

describe('a refusal of the encryption itself', () => {
  it('is the merchant’s configuration, not a failed renewal of the shopper’s card', async () => {
    const s = new Shopper(h);
    const { subscription } = (await s.payNewCard({ id: 'pro-monthly' })).body;
    // The key the stub's JWTs name is gone (an emulator restart; a key deleted in the Business
    // Center): CyberSource refuses each call before acting on it.
    expect((await control('DELETE', '/response-keys/demo-response-key')).status).toBe(204);
    const merchant = admin(h, ADMIN_TOKEN);
    const renewed = await merchant('POST', `/api/admin/subscriptions/${subscription.id}/renewals`, {
      period: 2,
    });
    // Not charged, and said why: the payment row is closed, the period still to renew.
    expect(renewed.status).toBe(402);
    expect(renewed.body.error).toMatchObject({
      code: 'payment_canceled',
      reason: 'gateway_encryption_refused',
    });
    const list = await merchant('GET', '/api/admin/subscriptions');
    const after = list.body.subscriptions.find((x: { id: string }) => x.id === subscription.id);
    expect(after).toMatchObject({ status: 'active', currentPeriod: 1, renewal: { attempts: 0 } });
  });
});
