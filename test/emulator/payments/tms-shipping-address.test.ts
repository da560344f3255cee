/**
 * TOKEN_CREATE with `shippingAddress` (API-FACTS §2.3; SAMPLES
 * `authorization-with-customer-token-creation.js`,
 * `authorization-with-customer-token-default-payment-instrument-and-shipping-address-creation.js`):
 * the order's `shipTo` becomes a shipping address token of the customer.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { cardPayment, mintToken, SAMPLE_SHIP_TO, setup, tokenPayment } from './setup.ts';

const t = setup();

const SHIP_TO = SAMPLE_SHIP_TO;

function withShipping(
  types: string[],
  o: {
    amount?: string;
    number?: string;
    customerId?: string;
    tokenInformation?: Record<string, unknown>;
    shipTo?: Record<string, string | number> | null;
  } = {},
) {
  const body = cardPayment({
    ...(o.amount ? { amount: o.amount } : {}),
    ...(o.number ? { number: o.number } : {}),
    extra: {
      processingInformation: {
        capture: false,
        actionList: ['TOKEN_CREATE'],
        actionTokenTypes: types,
      },
      ...(o.tokenInformation ? { tokenInformation: o.tokenInformation } : {}),
    },
  }) as any;
  if (o.shipTo !== null) body.orderInformation.shipTo = o.shipTo ?? SHIP_TO;
  if (o.customerId) body.paymentInformation.customer = { id: o.customerId };
  return body;
}

const tms = () => t.emulator.state.tms;

describe('TOKEN_CREATE with shippingAddress', () => {
  beforeEach(() => t.reset());

  it("vaults the address's TMS fields, not the order's shipping method or destination", async () => {
    const r = await t.post(
      '/pts/v2/payments',
      withShipping(['customer', 'paymentInstrument', 'shippingAddress'], {
        shipTo: { ...SHIP_TO, method: 'sameday', destinationCode: 3, county: 'Santa Clara' },
      }),
    );
    expect(r.status).toBe(201);
    const sa = tms().shippingAddresses.get(r.body.tokenInformation.shippingAddress.id);
    expect(sa?.shipTo).toEqual(SHIP_TO);
  });

  it("creates the customer's shipping address from shipTo and names it (201)", async () => {
    const r = await t.post(
      '/pts/v2/payments',
      withShipping(['customer', 'paymentInstrument', 'shippingAddress']),
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED');
    const ti = r.body.tokenInformation;
    expect(ti.shippingAddress).toEqual({ id: expect.stringMatching(/^[0-9A-F]{32}$/) });
    expect(ti.customer.id).toMatch(/^[0-9A-F]{32}$/);
    const sa = tms().shippingAddresses.get(ti.shippingAddress.id);
    expect(sa).toMatchObject({ customerId: ti.customer.id, shipTo: SHIP_TO });
    // the new customer's first address is its default, whatever the flag says
    expect(tms().customers.get(ti.customer.id)?.defaultShippingAddressId).toBe(sa?.id);

    // and TMS serves it: the customer names it as its default, embedded in full
    const cust = await t.call(`/tms/v2/customers/${ti.customer.id}`);
    expect(cust.body.defaultShippingAddress).toEqual({ id: sa?.id });
    expect(cust.body._embedded.defaultShippingAddress).toMatchObject({
      id: sa?.id,
      default: true,
      shipTo: SHIP_TO,
    });
    const one = await t.call(`/tms/v2/customers/${ti.customer.id}/shipping-addresses/${sa?.id}`);
    expect(one.status).toBe(200);
    // Transaction Details names it among the created tokens
    const details = await t.call(`/tss/v2/transactions/${r.body.id}`);
    expect(details.body.tokenInformation.shippingAddress).toEqual({ id: sa?.id });
  });

  it('creates a shipping address from a transient token payment too', async () => {
    const jwt = await mintToken(t.emulator);
    const body = tokenPayment(jwt, {
      extra: {
        processingInformation: {
          actionList: ['TOKEN_CREATE'],
          actionTokenTypes: ['customer', 'paymentInstrument', 'shippingAddress'],
        },
      },
    }) as any;
    body.orderInformation.shipTo = SHIP_TO;
    const r = await t.post('/pts/v2/payments', body);
    expect(r.status).toBe(201);
    expect(r.body.tokenInformation.shippingAddress.id).toMatch(/^[0-9A-F]{32}$/);
  });

  describe('added to an existing customer', () => {
    let customerId: string;
    let firstAddress: string;
    beforeEach(async () => {
      const first = await t.post(
        '/pts/v2/payments',
        withShipping(['customer', 'paymentInstrument', 'shippingAddress']),
      );
      customerId = first.body.tokenInformation.customer.id;
      firstAddress = first.body.tokenInformation.shippingAddress.id;
    });
    const defaultOf = () => tms().customers.get(customerId)?.defaultShippingAddressId;
    const add = (tokenInformation?: Record<string, unknown>) =>
      t.post(
        '/pts/v2/payments',
        withShipping(['paymentInstrument', 'shippingAddress'], {
          number: '5555555555554444',
          customerId,
          shipTo: { ...SHIP_TO, address1: '2 Market St' },
          ...(tokenInformation ? { tokenInformation } : {}),
        }),
      );

    // NODE Ptsv2paymentsTokenInformationShippingAddress.md: `default` "default to false"
    it('leaves the default where it was when tokenInformation.shippingAddress.default is absent', async () => {
      const r = await add();
      expect(r.status).toBe(201);
      const id = r.body.tokenInformation.shippingAddress.id;
      expect(id).not.toBe(firstAddress);
      expect(tms().shippingAddresses.get(id)?.customerId).toBe(customerId);
      expect(defaultOf()).toBe(firstAddress);
      expect(r.body.tokenInformation.customer).toBeUndefined();
    });

    it('leaves the default where it was with default: false', async () => {
      await add({ shippingAddress: { default: false } });
      expect(defaultOf()).toBe(firstAddress);
    });

    it('makes the new address the default with default: true, independently of the instrument', async () => {
      const r = await add({ shippingAddress: { default: true } });
      expect(defaultOf()).toBe(r.body.tokenInformation.shippingAddress.id);
      // the instrument's own flag was absent: its default stays
      const customer = tms().customers.get(customerId);
      expect(customer?.defaultPaymentInstrumentId).not.toBe(
        r.body.tokenInformation.paymentInstrument.id,
      );
      const list = await t.call(`/tms/v2/customers/${customerId}/shipping-addresses`);
      expect(list.body.total).toBe(2);
      expect(list.body._embedded.shippingAddresses[0].id).toBe(
        r.body.tokenInformation.shippingAddress.id,
      );
    });
  });

  it('creates nothing for a declined payment', async () => {
    const r = await t.post(
      '/pts/v2/payments',
      withShipping(['customer', 'paymentInstrument', 'shippingAddress'], { amount: '2102.00' }),
    );
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('DECLINED');
    expect(r.body.tokenInformation).toBeUndefined();
    expect(tms().customers.size).toBe(0);
    expect(tms().shippingAddresses.size).toBe(0);
    expect(tms().paymentInstruments.size).toBe(0);
  });

  it.each([
    [
      'without a customer to keep it',
      withShipping(['paymentInstrument', 'shippingAddress']),
      { field: 'processingInformation.actionTokenTypes', reason: 'INVALID_DATA' },
    ],
    [
      'without orderInformation.shipTo',
      withShipping(['customer', 'paymentInstrument', 'shippingAddress'], { shipTo: null }),
      { field: 'orderInformation.shipTo', reason: 'MISSING_FIELD' },
    ],
  ])('refuses shippingAddress %s (400, nothing created)', async (_, body, detail) => {
    const r = await t.post('/pts/v2/payments', body);
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([detail]);
    expect(tms().customers.size).toBe(0);
  });
});
