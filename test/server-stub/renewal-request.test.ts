/**
 * What a renewal sends CyberSource (API-FACTS §2.4): merchant-initiated, citing the first
 * payment's network transaction id, and for Discover and Diners Club the original amount.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { admin, type Harness, harness, Shopper, VISA } from './harness.ts';

const DISCOVER = { ...VISA, number: '6011111111111117' };

let h: Harness;
const sales: Record<string, unknown>[] = [];
beforeAll(async () => {
  let upstream: typeof fetch | undefined;
  h = await harness({
    fetch: (input, init) => {
      if (String(input).endsWith('/pts/v2/payments') && typeof init?.body === 'string')
        sales.push(JSON.parse(init.body));
      if (!upstream) throw new Error('harness not ready');
      return upstream(input, init);
    },
  });
  upstream = h.emulatorFetch;
});
afterAll(() => h.close());

async function renewalOf(card: typeof VISA) {
  const start = await new Shopper(h).payNewCard({ id: 'pro-monthly' }, {}, card);
  expect(start.status).toBe(201);
  const first = sales.at(-1) as { processingInformation: unknown };
  const { subscription } = start.body;
  const renewed = await admin(h)('POST', `/api/admin/subscriptions/${subscription.id}/renewals`, {
    period: 2,
  });
  expect(renewed.status).toBe(201);
  return {
    first,
    renewal: sales.at(-1) as { processingInformation: { authorizationOptions: any } },
  };
}

it('renews merchant-initiated, citing the first payment', async () => {
  const { renewal } = await renewalOf(VISA);
  const { initiator } = renewal.processingInformation.authorizationOptions;
  expect(initiator).toMatchObject({
    type: 'merchant',
    storedCredentialUsed: true,
    merchantInitiatedTransaction: { reason: '7' },
  });
  expect(initiator.merchantInitiatedTransaction.previousTransactionId).toMatch(/\S/);
  expect(initiator.merchantInitiatedTransaction).not.toHaveProperty('originalAuthorizedAmount');
});

it('adds the original amount on a Discover card', async () => {
  const { renewal } = await renewalOf(DISCOVER);
  const { initiator } = renewal.processingInformation.authorizationOptions;
  expect(initiator.merchantInitiatedTransaction.originalAuthorizedAmount).toBe('9.00');
});
