/**
 * What a renewal sends CyberSource (API-FACTS §2.4): merchant-initiated, citing the first
 * payment's network transaction id, and for Discover and Diners Club the original amount.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  admin,
  type Harness,
  MASTERCARD,
  type Rewrite,
  recordingHarness,
  Shopper,
  VISA,
} from './harness.ts';

const DISCOVER = { ...VISA, number: '6011111111111117' };
const DINERS = { ...VISA, number: '3056930902590400' };

let h: Harness;
let sales: Record<string, any>[];
let rewrite: Rewrite;
/** Drop the network transaction id from the next approvals, as some processors' answers do. */
const withoutNetworkId = (body: Record<string, any>) => {
  delete body.processorInformation?.networkTransactionId;
  delete body.processorInformation?.transactionId;
};
beforeAll(async () => {
  ({ h, sales, rewrite } = await recordingHarness());
});
afterAll(() => h.close());

async function renewalOf(card: typeof VISA) {
  const start = await new Shopper(h).payNewCard({ id: 'pro-monthly' }, {}, card);
  expect(start.status).toBe(201);
  const first = sales.at(-1) as { processingInformation: Record<string, any> };
  const { subscription } = start.body;
  const renewed = await admin(h)('POST', `/api/admin/subscriptions/${subscription.id}/renewals`, {
    period: 2,
  });
  expect(renewed.status).toBe(201);
  return {
    first,
    renewal: sales.at(-1) as {
      processingInformation: { commerceIndicator: string; authorizationOptions: any };
    },
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

it('marks the renewal recurring, where the shopper-initiated first payment is internet', async () => {
  const { first, renewal } = await renewalOf(VISA);
  expect(first.processingInformation.commerceIndicator).toBe('internet');
  expect(renewal.processingInformation.commerceIndicator).toBe('recurring');
});

it('asks for the whole renewal amount or nothing, never a partial approval', async () => {
  const { renewal } = await renewalOf(VISA);
  expect(renewal.processingInformation.authorizationOptions.partialAuthIndicator).toBe(false);
});

it.each([
  ['Discover', DISCOVER],
  ['Diners Club', DINERS],
])('adds the original amount on a %s card', async (_, card) => {
  const { renewal } = await renewalOf(card);
  const { initiator } = renewal.processingInformation.authorizationOptions;
  expect(initiator.merchantInitiatedTransaction.originalAuthorizedAmount).toBe('9.00');
});

it('starts the subscription from the network id TMS keeps when the approval lacks one', async () => {
  rewrite.approval = withoutNetworkId;
  try {
    const { renewal } = await renewalOf(VISA);
    const cited =
      renewal.processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction
        .previousTransactionId;
    expect(cited).toMatch(/^\d+$/);
  } finally {
    rewrite.approval = undefined;
  }
});

it('starts a Mastercard subscription with the subscription reason on its customer-initiated payment', async () => {
  const { first } = await renewalOf({ ...VISA, number: '5555555555554444' });
  expect(first.processingInformation).toMatchObject({
    // Mastercard's recurring payment indicator, on the CIT that starts the series (AN 5524).
    commerceIndicator: 'recurring',
    authorizationOptions: {
      initiator: {
        type: 'customer',
        credentialStoredOnFile: true,
        merchantInitiatedTransaction: { reason: '7' },
      },
    },
    recurringOptions: { firstRecurringPayment: true },
  });
  // Other brands' first payments carry no reason.
  const { first: visa } = await renewalOf(VISA);
  expect(
    (visa.processingInformation as { authorizationOptions: { initiator: object } })
      .authorizationOptions.initiator,
  ).not.toHaveProperty('merchantInitiatedTransaction');
});

it.each([
  ['Mastercard', MASTERCARD, 'recurring'],
  ['Visa', VISA, 'internet'],
])('starts a plan bought with a saved %s card as its network asks', async (_, card, indicator) => {
  const s = new Shopper(h);
  expect((await s.payNewCard({ id: 'tshirt' }, { savePaymentMethod: true }, card)).status).toBe(
    201,
  );
  const { paymentMethods } = (await s.request('GET', '/api/payment-methods')).body;
  const bought = await s.request('POST', '/api/checkout/payments', {
    paymentMethodId: paymentMethods[0].id,
    item: { id: 'pro-monthly' },
  });
  expect(bought.status).toBe(201);
  expect(sales.at(-1)?.processingInformation).toMatchObject({
    commerceIndicator: indicator,
    authorizationOptions: { initiator: { type: 'customer', storedCredentialUsed: true } },
    recurringOptions: { firstRecurringPayment: true },
  });
});
