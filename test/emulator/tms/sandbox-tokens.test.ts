/**
 * EMULATOR_SANDBOX_TOKENS: the `testrest` sandbox's own tokens, which CyberSource's official
 * samples name by id (retrieve-customer.js, authorization-with-customer-token-id.js,
 * retrieve-payment-instrument.js, retrieve-instrument-identifier.js…), are there from the start
 * and after every reset; without the setting the emulator starts empty.
 */
import { describe, expect, it } from 'vitest';
import { SANDBOX_TOKENS as T } from '../../../emulator/tms/sandbox-tokens.ts';
import { cardPayment, setup } from '../payments/setup.ts';

const CUSTOMER = `/tms/v2/customers/${T.customerId}`;

describe('the sandbox tokens', () => {
  const t = setup({ sandboxTokens: true });

  it('reads the customer, its default card and address, as the samples do', async () => {
    const c = await t.call(CUSTOMER);
    expect(c.status).toBe(200);
    expect(c.body._embedded.defaultPaymentInstrument.id).toBe(T.customerPaymentInstrumentId);
    expect(c.body._embedded.defaultShippingAddress.id).toBe(T.shippingAddressId);
    const pi = await t.call(`/tms/v1/paymentinstruments/${T.paymentInstrumentId}`);
    expect(pi.status).toBe(200);
    expect(pi.body._embedded.instrumentIdentifier.id).toBe(T.instrumentIdentifierId);
    const ii = await t.call(`/tms/v1/instrumentidentifiers/${T.instrumentIdentifierId}`);
    expect(ii.status).toBe(200);
    expect(ii.body.card.number).toBe('411111XXXXXX1111');
  });

  it('pays with the customer token, and the same card is the same identifier', async () => {
    const body = cardPayment({ amount: '102.21' }) as Record<string, any>;
    body.paymentInformation = { customer: { id: T.customerId } };
    const paid = await t.post('/pts/v2/payments', body);
    expect([paid.status, paid.body.status]).toEqual([201, 'AUTHORIZED']);
    const vaulted = await t.post('/tms/v1/instrumentidentifiers', {
      card: { number: T.cardNumber },
    });
    expect([vaulted.status, vaulted.body.id]).toEqual([200, T.instrumentIdentifierId]);
  });

  it('comes back after a reset, even once deleted', async () => {
    expect((await t.call(CUSTOMER, { method: 'DELETE' })).status).toBe(204);
    expect((await t.call(CUSTOMER)).status).toBe(410);
    t.reset();
    expect((await t.call(CUSTOMER)).status).toBe(200);
  });
});

it('is not there unless asked for', async () => {
  const t = setup();
  expect((await t.call(CUSTOMER)).status).toBe(404);
});
