/**
 * @module The tokens CyberSource's `testrest` sandbox account already holds, which its official
 * samples (CyberSource/cybersource-rest-samples-node) name by id rather than create: about 30
 * of them read, pay with, update or add to these. Seeded only with EMULATOR_SANDBOX_TOKENS=true,
 * so a fresh emulator otherwise starts empty (its own tests count on that).
 *
 * The ids are the samples' own (e.g. `Samples/TokenManagement/Customer/retrieve-customer.js`,
 * `Samples/Payments/Payments/authorization-with-customer-token-id.js`,
 * `Samples/TokenManagement/PaymentInstrument/retrieve-payment-instrument.js`); the card is the
 * Visa test number the sandbox's instrument identifier `7010000000016241111` stands for. What
 * else the real tokens carry (names, address, expiry) is not published: the emulator's sample
 * address and a future expiry stand in [inferred].
 */
import type { TmsStore } from './store.ts';

export const SANDBOX_TOKENS = {
  merchantId: 'testrest',
  instrumentIdentifierId: '7010000000016241111',
  customerId: 'AB695DA801DD1BB6E05341588E0A3BDC',
  customerPaymentInstrumentId: 'AB6A54B982A6FCB6E05341588E0A3935',
  shippingAddressId: 'AB6A54B97C00FCB6E05341588E0A3935',
  /** A stand-alone payment instrument (no customer). */
  paymentInstrumentId: '888454C31FB6150CE05340588D0AA9BE',
  cardNumber: '4111111111111111',
} as const;

/** The address CyberSource's official samples send as `orderInformation.shipTo`. */
export const SAMPLE_SHIP_TO = {
  firstName: 'John',
  lastName: 'Doe',
  address1: '1 Market St',
  locality: 'san francisco',
  administrativeArea: 'CA',
  postalCode: '94105',
  country: 'US',
};

/** …and as `orderInformation.billTo`: the sandbox tokens' address too. */
export const SAMPLE_BILL_TO = {
  ...SAMPLE_SHIP_TO,
  email: 'test@cybs.com',
  phoneNumber: '4158880000',
};

/** Puts the sandbox's tokens into `store` (after a reset too), as if made at `now`. */
export function seedSandboxTokens(store: TmsStore, now: Date): void {
  const t = SANDBOX_TOKENS;
  const card = { expirationMonth: '12', expirationYear: '2031', type: '001' };
  store.putInstrumentIdentifier({
    id: t.instrumentIdentifierId,
    merchantId: t.merchantId,
    number: t.cardNumber,
    state: 'ACTIVE',
    paymentAccountReference: 'V0010013019326121174070050420',
    createdAt: now,
  });
  store.customers.set(t.customerId, {
    id: t.customerId,
    merchantId: t.merchantId,
    buyerInformation: {
      merchantCustomerID: 'Your customer identifier',
      email: SAMPLE_BILL_TO.email,
    },
    clientReferenceInformation: { code: 'TC50171_3' },
    defaultPaymentInstrumentId: t.customerPaymentInstrumentId,
    defaultShippingAddressId: t.shippingAddressId,
    createdAt: now,
  });
  store.paymentInstruments.set(t.customerPaymentInstrumentId, {
    id: t.customerPaymentInstrumentId,
    merchantId: t.merchantId,
    customerId: t.customerId,
    instrumentIdentifierId: t.instrumentIdentifierId,
    card,
    billTo: SAMPLE_BILL_TO,
    state: 'ACTIVE',
    createdAt: now,
  });
  store.shippingAddresses.set(t.shippingAddressId, {
    id: t.shippingAddressId,
    merchantId: t.merchantId,
    customerId: t.customerId,
    shipTo: SAMPLE_BILL_TO,
    createdAt: now,
  });
  store.paymentInstruments.set(t.paymentInstrumentId, {
    id: t.paymentInstrumentId,
    merchantId: t.merchantId,
    instrumentIdentifierId: t.instrumentIdentifierId,
    card,
    billTo: SAMPLE_BILL_TO,
    state: 'ACTIVE',
    createdAt: now,
  });
}
