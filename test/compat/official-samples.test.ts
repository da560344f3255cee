/**
 * CyberSource's official Node samples (github.com/CyberSource/cybersource-rest-samples-node,
 * HEAD 801d438, 2026-01-06), driven through the official SDK (`cybersource-rest-client`)
 * against the emulator, each with the request body the sample builds. The samples that name the
 * `testrest` sandbox's own tokens by id run on an emulator seeded with them (`sandboxTokens`).
 * Covers the samples `official-sdk.test.ts` does not.
 */
import { createRequire } from 'node:module';
import cybersource from 'cybersource-rest-client';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import {
  SAMPLE_BILL_TO,
  SAMPLE_SHIP_TO,
  SANDBOX_TOKENS,
} from '../../emulator/tms/sandbox-tokens.ts';
import { SAMPLE_CARD, SAMPLE_SEARCH, TMS_SAMPLE_ADDRESS } from '../fixtures/official-samples.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { callSdk, expectAnswered, sdkConfig } from './sdk.ts';
import { startTamperProxy, type TamperProxy } from './tamper-proxy.ts';

/** The `profileid` the TMS samples send as the `profile-id` header. */
const PROFILE_ID = '93B32398-AD51-4CC2-A682-EA3E93614EB1';

let emulator: RunningEmulator;
let proxy: TamperProxy;
/** An emulator without the sandbox's tokens, for the samples that delete what they create. */
let fresh: RunningEmulator;
let freshProxy: TamperProxy;

/** The SDK's configuration, through the tamper proxy in front of the emulator. */
const config = (overrides: Record<string, unknown> = {}) => sdkConfig(proxy.url, overrides);
const call = (Api: string, method: string, args: unknown[], cfg = config()) =>
  callSdk(Api, method, args, cfg);

beforeAll(async () => {
  emulator = await startEmulator({ config: { sandboxTokens: true }, keys: testKeys() });
  proxy = await startTamperProxy(emulator.url);
  fresh = await startEmulator({ keys: testKeys() });
  freshProxy = await startTamperProxy(fresh.url);
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
  await freshProxy?.close();
  await fresh?.close();
});

/** SAMPLES Samples/Payments/Payments/simple-authorizationinternet.js (`enable_capture` → sale). */
const simpleAuthorizationInternet = (enableCapture: boolean) =>
  call('PaymentsApi', 'createPayment', [
    {
      clientReferenceInformation: { code: 'TC50171_3' },
      processingInformation: { capture: enableCapture },
      paymentInformation: {
        card: { number: '4111111111111111', expirationMonth: '12', expirationYear: '2031' },
      },
      orderInformation: {
        amountDetails: { totalAmount: '50.00', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
      },
    },
  ]);

/** A follow-on sample's request (`totalAmount` USD) on the payment simple-authorization-internet.js makes. */
async function followOn(sale: boolean, Api: string, method: string, totalAmount: string) {
  const payment = await simpleAuthorizationInternet(sale);
  expect(payment.data.status).toBe('AUTHORIZED');
  return call(Api, method, [
    {
      clientReferenceInformation: { code: 'TC50171_3' },
      orderInformation: { amountDetails: { totalAmount, currency: 'USD' } },
    },
    payment.data.id,
  ]);
}
/** SAMPLES Samples/Payments/Capture/capture-payment.js: an authorization, then its capture. */
const capturePayment = () => followOn(false, 'CaptureApi', 'capturePayment', '50.00');
/** SAMPLES Samples/Payments/Refund/refund-payment.js: a sale, then a refund of 10 of its 50. */
const refundPayment = () => followOn(true, 'RefundApi', 'refundPayment', '10');

/** The voids' body (`Ptsv2paymentsidreversalsClientReferenceInformation.code = 'test_void'`). */
const testVoid = { clientReferenceInformation: { code: 'test_void' } };

describe('official samples: refunds and voids', () => {
  // SAMPLES Samples/Payments/Refund/refund-payment.js
  it('refund-payment.js refunds 10 of a 50.00 sale', async () => {
    const refund = await refundPayment();
    expectAnswered(refund, 201);
    expect(refund.data.status).toBe('PENDING');
    expect(refund.data.id).toMatch(/^\d{22}$/);
    expect(refund.data.refundAmountDetails).toMatchObject({
      refundAmount: '10.00',
      currency: 'USD',
    });
  });

  // SAMPLES Samples/Payments/Void/void-payment.js
  it('void-payment.js voids a sale', async () => {
    const sale = await simpleAuthorizationInternet(true);
    const voided = await call('VoidApi', 'voidPayment', [testVoid, sale.data.id]);
    expectAnswered(voided, 201);
    expect(voided.data.status).toBe('VOIDED');
    expect(voided.data.id).toMatch(/^\d{22}$/);
    expect(voided.data.clientReferenceInformation.code).toBe('test_void');
  });

  // SAMPLES Samples/Payments/Void/void-capture.js
  it('void-capture.js voids the capture of capture-payment.js', async () => {
    const capture = await capturePayment();
    expect(capture.response?.status).toBe(201);
    expect(capture.data.status).toBe('PENDING');
    const voided = await call('VoidApi', 'voidCapture', [testVoid, capture.data.id]);
    expectAnswered(voided, 201);
    expect(voided.data.status).toBe('VOIDED');
    expect(voided.data.voidAmountDetails).toMatchObject({ voidAmount: '50.00', currency: 'USD' });
  });

  // SAMPLES Samples/Payments/Void/void-refund.js
  it('void-refund.js voids the refund of refund-payment.js', async () => {
    const refund = await refundPayment();
    expect(refund.response?.status).toBe(201);
    const voided = await call('VoidApi', 'voidRefund', [testVoid, refund.data.id]);
    expectAnswered(voided, 201);
    expect(voided.data.status).toBe('VOIDED');
  });
});

describe('official samples: transaction details and search', () => {
  // SAMPLES Samples/TransactionDetails/retrieve-transaction.js (the sample waits 20 s first)
  it('retrieve-transaction.js reads the authorization back', async () => {
    const auth = await simpleAuthorizationInternet(false);
    const tx = await call('TransactionDetailsApi', 'getTransaction', [auth.data.id]);
    expectAnswered(tx, 200);
    expect(tx.data.id).toBe(auth.data.id);
    expect(tx.data.clientReferenceInformation.code).toBe('TC50171_3');
    expect(tx.data.orderInformation.amountDetails.totalAmount).toBe('50.00');
  });

  /** SAMPLES Samples/TransactionSearch/create-search-request.js */
  const createSearchRequest = () => call('SearchTransactionsApi', 'createSearch', [SAMPLE_SEARCH]);

  // SAMPLES Samples/TransactionSearch/create-search-request.js
  it('create-search-request.js finds the TC50171_3 payments', async () => {
    const auth = await simpleAuthorizationInternet(false);
    const search = await createSearchRequest();
    expectAnswered(search, 201);
    expect(search.data.searchId).toEqual(expect.any(String));
    expect(search.data.totalCount).toBeGreaterThan(0);
    const ids = search.data._embedded.transactionSummaries.map((t: { id: string }) => t.id);
    expect(ids).toContain(auth.data.id);
    expect([...ids].sort()).toEqual(ids); // sorted by id ascending
  });

  // SAMPLES Samples/TransactionSearch/get-search-results.js
  it('get-search-results.js reads the search back by its searchId', async () => {
    await simpleAuthorizationInternet(false);
    const search = await createSearchRequest();
    const again = await call('SearchTransactionsApi', 'getSearch', [search.data.searchId]);
    expectAnswered(again, 200);
    expect(again.data.searchId).toBe(search.data.searchId);
    expect(again.data.totalCount).toBe(search.data.totalCount);
  });
});

describe('official samples: customers', () => {
  /** SAMPLES Samples/TokenManagement/Customer/create-customer.js (and update-customer.js's body) */
  const customerBody = {
    buyerInformation: { merchantCustomerID: 'Your customer identifier', email: 'test@cybs.com' },
    clientReferenceInformation: { code: 'TC50171_3' },
    merchantDefinedInformation: [{ name: 'data1', value: 'Your customer data' }],
  };

  // SAMPLES Samples/TokenManagement/Customer/create-customer.js, then delete-customer.js
  it('create-customer.js creates a customer that delete-customer.js deletes', async () => {
    const created = await call('CustomerApi', 'postCustomer', [customerBody, {}]);
    expectAnswered(created, 201);
    expect(created.data.id).toMatch(/^[0-9A-F]{32}$/);
    expect(created.data.buyerInformation.merchantCustomerID).toBe('Your customer identifier');
    expect(created.data.merchantDefinedInformation).toEqual([
      { name: 'data1', value: 'Your customer data' },
    ]);
    const del = await call('CustomerApi', 'deleteCustomer', [created.data.id, {}]);
    expectAnswered(del, 204);
  });

  // SAMPLES Samples/TokenManagement/Customer/retrieve-customer.js
  it('retrieve-customer.js reads the sandbox customer', async () => {
    const read = await call('CustomerApi', 'getCustomer', [SANDBOX_TOKENS.customerId, {}]);
    expectAnswered(read, 200);
    expect(read.data.id).toBe(SANDBOX_TOKENS.customerId);
    expect(read.data.defaultPaymentInstrument.id).toBe(SANDBOX_TOKENS.customerPaymentInstrumentId);
  });

  // SAMPLES Samples/TokenManagement/Customer/update-customer.js
  it('update-customer.js updates the sandbox customer', async () => {
    const updated = await call('CustomerApi', 'patchCustomer', [
      SANDBOX_TOKENS.customerId,
      customerBody,
      {},
    ]);
    expectAnswered(updated, 200);
    expect(updated.data.id).toBe(SANDBOX_TOKENS.customerId);
    expect(updated.data.buyerInformation).toMatchObject({
      merchantCustomerID: 'Your customer identifier',
      email: 'test@cybs.com',
    });
  });

  // SAMPLES Samples/TokenManagement/Customer/update-customers-default-payment-instrument.js
  it('update-customers-default-payment-instrument.js names the sandbox card', async () => {
    const updated = await call('CustomerApi', 'patchCustomer', [
      SANDBOX_TOKENS.customerId,
      { defaultPaymentInstrument: { id: SANDBOX_TOKENS.customerPaymentInstrumentId } },
      {},
    ]);
    expectAnswered(updated, 200);
    expect(updated.data.defaultPaymentInstrument.id).toBe(
      SANDBOX_TOKENS.customerPaymentInstrumentId,
    );
  });

  // SAMPLES Samples/TokenManagement/Customer/update-customers-default-shipping-address.js
  it('update-customers-default-shipping-address.js names the sandbox address', async () => {
    const updated = await call('CustomerApi', 'patchCustomer', [
      SANDBOX_TOKENS.customerId,
      { defaultShippingAddress: { id: SANDBOX_TOKENS.shippingAddressId } },
      {},
    ]);
    expectAnswered(updated, 200);
    expect(updated.data.defaultShippingAddress.id).toBe(SANDBOX_TOKENS.shippingAddressId);
  });
});

describe("official samples: a customer's payment instruments and shipping addresses", () => {
  // SAMPLES Samples/TokenManagement/CustomerPaymentInstrument/list-payment-instruments-for-customer.js
  it('list-payment-instruments-for-customer.js lists the sandbox card', async () => {
    const list = await call('CustomerPaymentInstrumentApi', 'getCustomerPaymentInstrumentsList', [
      SANDBOX_TOKENS.customerId,
      {},
    ]);
    expectAnswered(list, 200);
    expect(list.data.total).toBeGreaterThanOrEqual(1);
    expect(list.data._embedded.paymentInstruments[0].id).toBe(
      SANDBOX_TOKENS.customerPaymentInstrumentId,
    );
  });

  // SAMPLES Samples/TokenManagement/CustomerPaymentInstrument/retrieve-customer-payment-instrument.js
  it('retrieve-customer-payment-instrument.js reads the sandbox card', async () => {
    const read = await call('CustomerPaymentInstrumentApi', 'getCustomerPaymentInstrument', [
      SANDBOX_TOKENS.customerId,
      SANDBOX_TOKENS.customerPaymentInstrumentId,
      {},
    ]);
    expectAnswered(read, 200);
    expect(read.data.id).toBe(SANDBOX_TOKENS.customerPaymentInstrumentId);
    expect(read.data.instrumentIdentifier.id).toBe(SANDBOX_TOKENS.instrumentIdentifierId);
  });

  // SAMPLES Samples/TokenManagement/CustomerShippingAddress/list-shipping-addresses-for-customer.js
  it('list-shipping-addresses-for-customer.js lists the sandbox address', async () => {
    const list = await call('CustomerShippingAddressApi', 'getCustomerShippingAddressesList', [
      SANDBOX_TOKENS.customerId,
      {},
    ]);
    expectAnswered(list, 200);
    expect(list.data._embedded.shippingAddresses[0].id).toBe(SANDBOX_TOKENS.shippingAddressId);
  });

  // SAMPLES Samples/TokenManagement/CustomerShippingAddress/retrieve-customer-shipping-address.js
  it('retrieve-customer-shipping-address.js reads the sandbox address', async () => {
    const read = await call('CustomerShippingAddressApi', 'getCustomerShippingAddress', [
      SANDBOX_TOKENS.customerId,
      SANDBOX_TOKENS.shippingAddressId,
      {},
    ]);
    expectAnswered(read, 200);
    expect(read.data.id).toBe(SANDBOX_TOKENS.shippingAddressId);
  });
});

describe('official samples: instrument identifiers', () => {
  // SAMPLES Samples/TokenManagement/InstrumentIdentifier/create-instrument-identifier-card.js
  // (4111 1111 1111 1111 is vaulted in the sandbox already: 200, the same id)
  it('create-instrument-identifier-card.js finds the sandbox identifier', async () => {
    const ii = await call('InstrumentIdentifierApi', 'postInstrumentIdentifier', [
      { card: { number: '4111111111111111' } },
      {},
    ]);
    expectAnswered(ii, 200);
    expect(ii.data.id).toBe(SANDBOX_TOKENS.instrumentIdentifierId);
  });

  // SAMPLES Samples/TokenManagement/InstrumentIdentifier/retrieve-instrument-identifier.js
  it('retrieve-instrument-identifier.js reads it with the profile-id header', async () => {
    const created = await call('InstrumentIdentifierApi', 'postInstrumentIdentifier', [
      { card: { number: '4111111111111111' } },
      {},
    ]);
    const read = await call('InstrumentIdentifierApi', 'getInstrumentIdentifier', [
      created.data.id,
      { 'profile-id': PROFILE_ID },
    ]);
    expectAnswered(read, 200);
    expect(read.data.id).toBe(SANDBOX_TOKENS.instrumentIdentifierId);
    expect(read.data.card.number).toBe('411111XXXXXX1111');
  });

  // SAMPLES Samples/TokenManagement/InstrumentIdentifier/update-instrument-identifier-previoustransactionid.js
  it('update-instrument-identifier-previoustransactionid.js sets the previous transaction id', async () => {
    const updated = await call('InstrumentIdentifierApi', 'patchInstrumentIdentifier', [
      SANDBOX_TOKENS.instrumentIdentifierId,
      {
        processingInformation: {
          authorizationOptions: {
            initiator: {
              merchantInitiatedTransaction: { previousTransactionId: '123456789012345' },
            },
          },
        },
      },
      { 'profile-id': PROFILE_ID },
    ]);
    expectAnswered(updated, 200);
    expect(
      updated.data.processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction
        .previousTransactionId,
    ).toBe('123456789012345');
  });

  // SAMPLES Samples/TokenManagement/InstrumentIdentifier/list-payment-instruments-for-instrument-identifier.js
  it('list-payment-instruments-for-instrument-identifier.js lists its instruments', async () => {
    const list = await call(
      'InstrumentIdentifierApi',
      'getInstrumentIdentifierPaymentInstrumentsList',
      [
        SANDBOX_TOKENS.instrumentIdentifierId,
        { 'profile-id': PROFILE_ID, retrieveBinDetails: false },
      ],
    );
    expectAnswered(list, 200);
    const ids = list.data._embedded.paymentInstruments.map((p: { id: string }) => p.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        SANDBOX_TOKENS.customerPaymentInstrumentId,
        SANDBOX_TOKENS.paymentInstrumentId,
      ]),
    );
  });
});

describe('official samples: instrument identifiers on an empty vault', () => {
  // SAMPLES Samples/TokenManagement/InstrumentIdentifier/delete-instrument-identifier.js (after
  // create-instrument-identifier-card.js; in the seeded sandbox 4111… has instruments: 409)
  it('delete-instrument-identifier.js deletes the identifier it created', async () => {
    const config = sdkConfig(freshProxy.url);
    const created = await call(
      'InstrumentIdentifierApi',
      'postInstrumentIdentifier',
      [{ card: { number: '4111111111111111' } }, {}],
      config,
    );
    expectAnswered(created, 201);
    expect(created.data.id).toMatch(/^\d{19}$/);
    const del = await call(
      'InstrumentIdentifierApi',
      'deleteInstrumentIdentifier',
      [created.data.id, { 'profile-id': PROFILE_ID }],
      config,
    );
    expectAnswered(del, 204);
    const gone = await call(
      'InstrumentIdentifierApi',
      'getInstrumentIdentifier',
      [created.data.id, {}],
      config,
    );
    expect(gone.error?.status).toBe(410);
  });
});

describe('official samples: stand-alone payment instruments', () => {
  /** SAMPLES Samples/TokenManagement/PaymentInstrument/create-payment-instrument-card.js */
  const createPaymentInstrumentCard = () =>
    call('PaymentInstrumentApi', 'postPaymentInstrument', [
      {
        card: { expirationMonth: '12', expirationYear: '2031', type: 'visa' },
        billTo: TMS_SAMPLE_ADDRESS,
        instrumentIdentifier: { id: SANDBOX_TOKENS.instrumentIdentifierId },
      },
      { 'profile-id': PROFILE_ID },
    ]);

  // SAMPLES Samples/TokenManagement/PaymentInstrument/create-payment-instrument-card.js
  it('create-payment-instrument-card.js vaults a card on the sandbox identifier', async () => {
    const created = await createPaymentInstrumentCard();
    expectAnswered(created, 201);
    expect(created.data.id).toMatch(/^[0-9A-F]{32}$/);
    expect(created.data.instrumentIdentifier.id).toBe(SANDBOX_TOKENS.instrumentIdentifierId);
  });

  // SAMPLES Samples/TokenManagement/PaymentInstrument/retrieve-payment-instrument.js
  it('retrieve-payment-instrument.js reads the sandbox stand-alone card', async () => {
    const read = await call('PaymentInstrumentApi', 'getPaymentInstrument', [
      SANDBOX_TOKENS.paymentInstrumentId,
      { 'profile-id': PROFILE_ID },
    ]);
    expectAnswered(read, 200);
    expect(read.data.id).toBe(SANDBOX_TOKENS.paymentInstrumentId);
  });

  // SAMPLES Samples/TokenManagement/PaymentInstrument/update-payment-instrument.js
  it('update-payment-instrument.js updates the sandbox stand-alone card', async () => {
    const updated = await call('PaymentInstrumentApi', 'patchPaymentInstrument', [
      SANDBOX_TOKENS.paymentInstrumentId,
      {
        card: { expirationMonth: '12', expirationYear: '2031', type: 'visa' },
        billTo: {
          ...TMS_SAMPLE_ADDRESS,
          firstName: 'Jack',
          lastName: 'Smith',
          email: 'updatedemail@cybs.com',
          phoneNumber: '4158888674',
        },
        instrumentIdentifier: { id: SANDBOX_TOKENS.instrumentIdentifierId },
      },
      {},
    ]);
    expectAnswered(updated, 200);
    expect(updated.data.billTo).toMatchObject({
      firstName: 'Jack',
      email: 'updatedemail@cybs.com',
    });
  });

  // SAMPLES Samples/TokenManagement/PaymentInstrument/delete-payment-instrument.js
  it('delete-payment-instrument.js deletes the card create-payment-instrument-card.js made', async () => {
    const created = await createPaymentInstrumentCard();
    const del = await call('PaymentInstrumentApi', 'deletePaymentInstrument', [
      created.data.id,
      { 'profile-id': PROFILE_ID },
    ]);
    expectAnswered(del, 204);
  });
});

describe('official samples: Microform', () => {
  // SAMPLES Samples/FlexMicroform/generate-capture-context-accept-card.js
  it('generate-capture-context-accept-card.js gets a capture context the SDK verifies', async () => {
    const cc = await call('MicroformIntegrationApi', 'generateCaptureContext', [
      {
        clientVersion: 'v2',
        targetOrigins: ['https://www.test.com'],
        allowedCardNetworks: [
          'VISA',
          'MASTERCARD',
          'AMEX',
          'CARNET',
          'CARTESBANCAIRES',
          'CUP',
          'DINERSCLUB',
          'DISCOVER',
          'EFTPOS',
          'ELO',
          'JCB',
          'JCREW',
          'MADA',
          'MAESTRO',
          'MEEZA',
        ],
        allowedPaymentTypes: ['CARD'],
      },
    ]);
    expectAnswered(cc, 201);
    const jwt = String(cc.data);
    const ctx = decodeJwt(jwt).ctx as { data: { targetOrigins: string[] } }[];
    expect(ctx[0]?.data.targetOrigins).toEqual(['https://www.test.com']);

    // The sample then runs CaptureContextParsingUtility.parseCaptureContextResponse, which fetches
    // the signing key from https://<runEnvironment>/flex/v2/public-keys/{kid}: we put the
    // emulator's key in the SDK's cache instead, so the SDK's own code checks the signature.
    const { kid } = decodeProtectedHeader(jwt);
    const jwk = await (await fetch(`${emulator.url}/flex/v2/public-keys/${kid}`)).json();
    const require = createRequire(import.meta.url);
    const Cache = require('cybersource-rest-client/src/authentication/util/Cache.js');
    Cache.addPublicKeyToCache('apitest.cybersource.com', kid, jwk);
    const parsed = await new Promise<{ err: unknown; result: any }>((resolve) =>
      cybersource.CaptureContextParsingUtility.parseCaptureContextResponse(
        jwt,
        cc.apiClient.merchantConfig,
        (err: unknown, result: unknown) => resolve({ err, result }),
      ),
    );
    expect(parsed.err).toBeNull();
    expect(parsed.result.ctx[0].data.targetOrigins).toEqual(['https://www.test.com']);
  });
});

describe('official samples: Microform for checks', () => {
  // SAMPLES Samples/FlexMicroform/generate-capture-context-accept-check.js
  it('generate-capture-context-accept-check.js gets a capture context with no card networks', async () => {
    const cc = await call('MicroformIntegrationApi', 'generateCaptureContext', [
      {
        clientVersion: 'v2',
        targetOrigins: ['https://www.test.com'],
        allowedPaymentTypes: ['CHECK'],
      },
    ]);
    expectAnswered(cc, 201);
    const payload = decodeJwt(String(cc.data));
    expect(payload.iss).toBe('Flex API');
    expect(Number(payload.exp) - Number(payload.iat)).toBe(900);
  });
});

describe('official samples: authorizations', () => {
  const pay = (body: Record<string, unknown>) => call('PaymentsApi', 'createPayment', [body]);
  /** The card of the level II and III samples (with its type code). */
  const levelCard = { ...SAMPLE_CARD, type: '001' };

  // SAMPLES Samples/Payments/Payments/authorization-with-capturesale.js
  it('authorization-with-capturesale.js is a sale', async () => {
    const sale = await pay({
      clientReferenceInformation: { code: 'TC50171_3' },
      processingInformation: { capture: true },
      paymentInformation: {
        card: { number: '4111111111111111', expirationMonth: '12', expirationYear: '2031' },
      },
      orderInformation: {
        amountDetails: { totalAmount: '102.21', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
      },
    });
    expectAnswered(sale, 201);
    expect(sale.data.status).toBe('AUTHORIZED');
    expect(sale.data.id).toMatch(/^\d{22}$/);
    const links = JSON.parse(sale.response?.text ?? '{}')._links;
    expect(Object.keys(links).sort()).toEqual(['self', 'void']);
  });

  // SAMPLES Samples/Payments/Payments/zero-dollar-authorization.js
  it('zero-dollar-authorization.js authorizes 0 on a Mastercard', async () => {
    const auth = await pay({
      clientReferenceInformation: { code: '1234567890' },
      paymentInformation: {
        card: {
          number: '5555555555554444',
          expirationMonth: '12',
          expirationYear: '2031',
          securityCode: '123',
        },
      },
      orderInformation: {
        amountDetails: { totalAmount: '0', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
      },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    expect(auth.data.orderInformation.amountDetails.authorizedAmount).toBe('0.00');
    expect(auth.data.paymentInformation.card.type).toBe('002');
  });

  // SAMPLES Samples/Payments/Payments/authorization-with-customer-token-id.js
  it("authorization-with-customer-token-id.js pays with the sandbox customer's default card", async () => {
    const auth = await pay({
      clientReferenceInformation: { code: 'TC50171_3' },
      paymentInformation: { customer: { id: SANDBOX_TOKENS.customerId } },
      orderInformation: { amountDetails: { totalAmount: '102.21', currency: 'USD' } },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    expect(auth.data.paymentInformation.paymentInstrument.id).toBe(
      SANDBOX_TOKENS.customerPaymentInstrumentId,
    );
  });

  // SAMPLES Samples/Payments/Payments/authorization-with-customer-payment-instrument-and-shipping-address-token-id.js
  it('authorization-with-customer-payment-instrument-and-shipping-address-token-id.js', async () => {
    const auth = await pay({
      clientReferenceInformation: { code: 'TC50171_3' },
      paymentInformation: {
        customer: { id: SANDBOX_TOKENS.customerId },
        paymentInstrument: { id: SANDBOX_TOKENS.customerPaymentInstrumentId },
        shippingAddress: { id: SANDBOX_TOKENS.shippingAddressId },
      },
      orderInformation: { amountDetails: { totalAmount: '102.21', currency: 'USD' } },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    expect(auth.data.paymentInformation.customer.id).toBe(SANDBOX_TOKENS.customerId);
  });

  // SAMPLES Samples/Payments/Payments/authorization-with-instrument-identifier-token-id.js
  it('authorization-with-instrument-identifier-token-id.js pays 200 "usd" with the identifier', async () => {
    const auth = await pay({
      clientReferenceInformation: { code: 'TC50171_3' },
      processingInformation: { capture: false, commerceIndicator: 'internet' },
      paymentInformation: {
        card: { expirationMonth: '03', expirationYear: '2031', type: '001' },
        instrumentIdentifier: { id: SANDBOX_TOKENS.instrumentIdentifierId },
      },
      orderInformation: {
        amountDetails: { totalAmount: '200', currency: 'usd' },
        billTo: {
          firstName: 'John',
          lastName: 'Deo',
          address1: '900 Metro Center Blvd',
          locality: 'Foster City',
          administrativeArea: 'CA',
          postalCode: '48104-2201',
          country: 'US',
          email: 'test@cybs.com',
          phoneNumber: '9321499232',
        },
      },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    expect(auth.data.orderInformation.amountDetails).toMatchObject({
      authorizedAmount: '200.00',
      currency: 'USD',
    });
  });

  // SAMPLES Samples/Payments/Payments/authorization-with-instrument-identifier-token-creation.js
  it('authorization-with-instrument-identifier-token-creation.js names the vaulted identifier', async () => {
    const auth = await pay({
      clientReferenceInformation: { code: 'TC50171_3' },
      processingInformation: {
        actionList: ['TOKEN_CREATE'],
        actionTokenTypes: ['instrumentIdentifier'],
        capture: false,
        commerceIndicator: 'internet',
      },
      paymentInformation: {
        card: SAMPLE_CARD,
      },
      orderInformation: {
        amountDetails: { totalAmount: '102.21', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
        shipTo: SAMPLE_SHIP_TO,
      },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    // 4111… is the sandbox's identifier already
    expect(auth.data.tokenInformation.instrumentIdentifier.id).toBe(
      SANDBOX_TOKENS.instrumentIdentifierId,
    );
    expect(auth.data.tokenInformation.instrumentidentifierNew).toBe(false);
  });

  // SAMPLES Samples/Payments/Payments/level-ii-data.js
  it('level-ii-data.js authorizes with a purchase order number', async () => {
    const auth = await pay({
      clientReferenceInformation: { code: 'TC50171_12' },
      processingInformation: { capture: false },
      paymentInformation: {
        card: levelCard,
      },
      orderInformation: {
        amountDetails: { totalAmount: '112.00', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
        invoiceDetails: { purchaseOrderNumber: 'LevelII Auth Po' },
      },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    expect(auth.data.orderInformation.amountDetails.authorizedAmount).toBe('112.00');
  });

  // SAMPLES Samples/Payments/Payments/level-iii-data.js
  it('level-iii-data.js authorizes with line items', async () => {
    const auth = await pay({
      clientReferenceInformation: { code: 'TC50171_14' },
      processingInformation: { capture: false, purchaseLevel: '3' },
      paymentInformation: {
        card: levelCard,
      },
      orderInformation: {
        amountDetails: { totalAmount: '100.00', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
        lineItems: [
          {
            productCode: 'default',
            quantity: 10,
            unitPrice: '10.00',
            totalAmount: '100',
            amountIncludesTax: false,
            discountApplied: false,
          },
        ],
        invoiceDetails: { purchaseOrderNumber: 'LevelIII Auth Po' },
      },
    });
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    expect(auth.data.orderInformation.amountDetails.authorizedAmount).toBe('100.00');
  });
});
