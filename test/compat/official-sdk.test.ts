/**
 * Compatibility check of issue 2: CyberSource's official Node SDK (`cybersource-rest-client`),
 * unmodified, drives the emulator over real HTTP. It signs `apitest.cybersource.com` (its
 * runEnvironment) while connecting through `intermediateHost`, and injects
 * `clientReferenceInformation.partner.developerId` into payment requests.
 */
import { request as httpRequest } from 'node:http';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwtRequest, signRequest } from '../../cybersource/auth/index.ts';
import { SAMPLE_MERCHANT } from '../../emulator/config.ts';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { SAMPLE_BILL_TO, SAMPLE_SHIP_TO } from '../emulator/payments/setup.ts';
import { SAMPLE_CARD } from '../fixtures/official-samples.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { callSdk, expectAnswered, sdkConfig } from './sdk.ts';
import { startTamperProxy, type TamperProxy, tampering } from './tamper-proxy.ts';

let emulator: RunningEmulator;
let proxy: TamperProxy;

/** The SDK's configuration, through the tamper proxy in front of the emulator. */
const config = (overrides: Record<string, unknown> = {}) => sdkConfig(proxy.url, overrides);
const call = (Api: string, method: string, args: unknown[], cfg = config()) =>
  callSdk(Api, method, args, cfg);

beforeAll(async () => {
  emulator = await startEmulator({ keys: testKeys() });
  proxy = await startTamperProxy(emulator.url);
});
afterAll(async () => {
  await proxy?.close();
  await emulator?.close();
});

describe('official Node SDK against the emulator', () => {
  it('runs the vault-and-pay journey end to end', async () => {
    const cc = await call('MicroformIntegrationApi', 'generateCaptureContext', [
      {
        clientVersion: 'v2',
        targetOrigins: ['https://shop.example'],
        allowedCardNetworks: ['VISA', 'MASTERCARD'],
        allowedPaymentTypes: ['CARD'],
      },
    ]);
    expectAnswered(cc, 201);
    expect(decodeJwt(String(cc.data)).ctx).toBeDefined();

    const ii = await call('InstrumentIdentifierApi', 'postInstrumentIdentifier', [
      { card: { number: '4111111111111111' } },
      {},
    ]);
    expectAnswered(ii, 201);
    expect(ii.data.id).toMatch(/^\d{19}$/);

    const customer = await call('CustomerApi', 'postCustomer', [
      {
        buyerInformation: { merchantCustomerID: 'sdk-compat', email: 'test@cybs.com' },
        clientReferenceInformation: { code: 'TC50171_3' },
      },
      {},
    ]);
    expect(customer.error).toBeNull();
    expect(customer.data.id).toMatch(/^[0-9A-F]{32}$/);

    const pi = await call('CustomerPaymentInstrumentApi', 'postCustomerPaymentInstrument', [
      customer.data.id,
      {
        card: { expirationMonth: '12', expirationYear: '2031', type: '001' },
        instrumentIdentifier: { id: ii.data.id },
      },
      {},
    ]);
    expectAnswered(pi, 201);

    const read = await call('CustomerApi', 'getCustomer', [customer.data.id, {}]);
    expect(read.error).toBeNull();
    expect(read.data.id).toBe(customer.data.id);
    expect(
      read.data._embedded?.defaultPaymentInstrument?.id ?? read.data.defaultPaymentInstrument?.id,
    ).toBe(pi.data.id);

    const sale = await call('PaymentsApi', 'createPayment', [
      {
        clientReferenceInformation: { code: 'sdk-sale' },
        processingInformation: { capture: true },
        paymentInformation: { customer: { id: customer.data.id } },
        orderInformation: { amountDetails: { totalAmount: '102.21', currency: 'USD' } },
      },
    ]);
    expectAnswered(sale, 201);
    expect(sale.data.status).toBe('AUTHORIZED');

    const refund = await call('RefundApi', 'refundPayment', [
      {
        clientReferenceInformation: { code: 'sdk-refund' },
        orderInformation: { amountDetails: { totalAmount: '102.21', currency: 'USD' } },
      },
      sale.data.id,
    ]);
    expectAnswered(refund, 201);
    expect(refund.data.status).toBe('PENDING');

    const del = await call('CustomerPaymentInstrumentApi', 'deleteCustomerPaymentInstrument', [
      customer.data.id,
      pi.data.id,
      {},
    ]);
    expectAnswered(del, 204);
  });

  it('gets 401 for a wrong secret', async () => {
    const r = await call(
      'InstrumentIdentifierApi',
      'postInstrumentIdentifier',
      [{ card: { number: '4111111111111111' } }, {}],
      config({ merchantsecretKey: Buffer.from('x'.repeat(32)).toString('base64') }),
    );
    expect(r.error?.status).toBe(401);
    expect(JSON.parse(r.error?.response?.text ?? '{}')).toEqual({
      response: { rmsg: 'Authentication Failed' },
    });
  });

  it.each(['body', 'body-and-digest'] as const)(
    'gets 401 when the %s is tampered with in transit',
    async (mode) => {
      const r = await tampering(proxy, mode, () =>
        call('InstrumentIdentifierApi', 'postInstrumentIdentifier', [
          { card: { number: '4111111111111111' } },
          {},
        ]),
      );
      expect(r.error?.status).toBe(401);
    },
  );
});

describe("the official SDK signing with JWT and the shared secret (the stub's default)", () => {
  // The SDK's `authenticationType: 'jwt'` with `jwtKeyType: 'SHARED_SECRET'`
  // (`authentication/jwt/JWTSigToken.js`, API-FACTS §1.6): HS256 over the claims, the key id as
  // `kid`, `Authorization: Bearer`; no `signature`, `digest` or `date` header.
  const jwtConfig = (overrides: Record<string, unknown> = {}) =>
    config({ authenticationType: 'jwt', jwtKeyType: 'SHARED_SECRET', ...overrides });
  const sale = {
    clientReferenceInformation: { code: 'TC50171_3' },
    processingInformation: { capture: true },
    paymentInformation: { card: SAMPLE_CARD },
    orderInformation: {
      amountDetails: { totalAmount: '102.21', currency: 'USD' },
      billTo: SAMPLE_BILL_TO,
    },
  };

  it('pays and reads the payment back', async () => {
    const paid = await call('PaymentsApi', 'createPayment', [sale], jwtConfig());
    expectAnswered(paid, 201);
    expect(paid.data.status).toBe('AUTHORIZED');
    expect(proxy.last?.headers.authorization).toMatch(/^Bearer /);
    expect(proxy.last?.headers.signature).toBeUndefined();

    const read = await call('TransactionDetailsApi', 'getTransaction', [paid.data.id], jwtConfig());
    expectAnswered(read, 200);
    expect(read.data.id).toBe(paid.data.id);
  });

  it('gets 401 for a wrong secret, and for a body changed in transit', async () => {
    const wrong = await call(
      'PaymentsApi',
      'createPayment',
      [sale],
      jwtConfig({ merchantsecretKey: Buffer.from('x'.repeat(32)).toString('base64') }),
    );
    expect(wrong.error?.status).toBe(401);
    const tampered = await tampering(proxy, 'body', () =>
      call('PaymentsApi', 'createPayment', [sale], jwtConfig()),
    );
    expect(tampered.error?.status).toBe(401);
  });

  it('signs what the stub signs: the same header and claims for the same request', async () => {
    const paid = await call('PaymentsApi', 'createPayment', [sale], jwtConfig());
    expectAnswered(paid, 201);
    const seen = proxy.last;
    const sdkToken = String(seen?.headers.authorization).replace(/^Bearer /, '');
    const sdkClaims = decodeJwt(sdkToken);
    const ours = await signJwtRequest({
      method: 'POST',
      target: seen?.path ?? '',
      host: 'apitest.cybersource.com',
      merchantId: SAMPLE_MERCHANT.merchantId,
      keyId: SAMPLE_MERCHANT.keyId,
      secretBase64: SAMPLE_MERCHANT.secretBase64,
      body: seen?.body ?? Buffer.alloc(0),
      now: new Date(Number(sdkClaims.iat) * 1000),
      jti: String(sdkClaims.jti),
    });
    expect(decodeProtectedHeader(ours)).toEqual(decodeProtectedHeader(sdkToken));
    expect(decodeJwt(ours)).toEqual(sdkClaims);
    expect(sdkClaims).toMatchObject({ 'request-method': 'post', 'digest-algorithm': 'SHA-256' });
  });
});

describe('official samples on stand-alone payment instruments', () => {
  // SAMPLES `create-payment-instrument-card.js` / `update-payment-instrument.js` send
  // `card.type: 'visa'`, a SPEC2020 name; the emulator keeps (and answers) its code
  it('creates and updates with card.type "visa"', async () => {
    const created = await call('PaymentInstrumentApi', 'postPaymentInstrument', [
      {
        card: { expirationMonth: '09', expirationYear: '2031', type: 'visa' },
        billTo: { firstName: 'John', lastName: 'Smith', country: 'US' },
        instrumentIdentifier: { card: { number: '4111111111111111' } },
      },
      {},
    ]);
    expectAnswered(created, 201);
    expect(created.data.card.type).toBe('001');

    const updated = await call('PaymentInstrumentApi', 'patchPaymentInstrument', [
      created.data.id,
      {
        card: { expirationMonth: '12', expirationYear: '2031', type: 'visa' },
        billTo: { firstName: 'Jack', lastName: 'Smith', country: 'US' },
        instrumentIdentifier: { id: created.data.instrumentIdentifier.id },
      },
      {},
    ]);
    expectAnswered(updated, 200);
    expect(updated.data.card).toMatchObject({ expirationMonth: '12', type: '001' });
  });

  it('gets links that point at the emulator, not at the Host the SDK signs', async () => {
    const ii = await call('InstrumentIdentifierApi', 'postInstrumentIdentifier', [
      { card: { number: '5555555555554444' } },
      {},
    ]);
    expect(ii.error).toBeNull();
    const self = `${emulator.config.publicUrl}/tms/v1/instrumentidentifiers/${ii.data.id}`;
    expect(ii.data._links.self.href).toBe(self);
    expect(ii.response?.header?.location).toBe(self);
  });
});

describe('official samples that create shipping address tokens while paying', () => {
  /** The samples' `orderInformation` (billTo and shipTo as sent). */
  const orderInformation = {
    amountDetails: { totalAmount: '102.21', currency: 'USD' },
    billTo: SAMPLE_BILL_TO,
    shipTo: SAMPLE_SHIP_TO,
  };
  const card = SAMPLE_CARD;

  it('runs authorization-with-customer-token-creation.js and the default-address follow-up', async () => {
    // SAMPLES Samples/Payments/Payments/authorization-with-customer-token-creation.js
    const auth = await call('PaymentsApi', 'createPayment', [
      {
        clientReferenceInformation: { code: 'TC50171_3' },
        processingInformation: {
          actionList: ['TOKEN_CREATE'],
          actionTokenTypes: ['customer', 'paymentInstrument', 'shippingAddress'],
          capture: false,
        },
        paymentInformation: { card },
        orderInformation,
      },
    ]);
    expectAnswered(auth, 201);
    expect(auth.data.status).toBe('AUTHORIZED');
    const customerId = auth.data.tokenInformation.customer.id;
    const firstAddress = auth.data.tokenInformation.shippingAddress.id;
    expect(firstAddress).toMatch(/^[0-9A-F]{32}$/);

    // SAMPLES authorization-with-customer-token-default-payment-instrument-and-shipping-address-creation.js,
    // with the customer just created instead of the sample's fixed id. The sample sets the SDK
    // model's `_default`, which goes out as the key `_default`, not `default`: the payment API
    // ignores it, so the new address is not made the default.
    const second = await call('PaymentsApi', 'createPayment', [
      {
        clientReferenceInformation: { code: 'TC50171_3' },
        processingInformation: {
          actionList: ['TOKEN_CREATE'],
          actionTokenTypes: ['paymentInstrument', 'shippingAddress'],
          capture: false,
        },
        paymentInformation: { card, customer: { id: customerId } },
        orderInformation,
        tokenInformation: {
          paymentInstrument: { _default: true },
          shippingAddress: { _default: true },
        },
      },
    ]);
    expectAnswered(second, 201);
    const secondAddress = second.data.tokenInformation.shippingAddress.id;
    expect(secondAddress).toMatch(/^[0-9A-F]{32}$/);
    expect(secondAddress).not.toBe(firstAddress);

    const read = await call('CustomerApi', 'getCustomer', [customerId, {}]);
    expect(read.error).toBeNull();
    expect(read.data.defaultShippingAddress.id).toBe(firstAddress);

    const list = await call('CustomerShippingAddressApi', 'getCustomerShippingAddressesList', [
      customerId,
      {},
    ]);
    expect(list.error).toBeNull();
    expect(list.data.total).toBe(2);

    const one = await call('CustomerShippingAddressApi', 'getCustomerShippingAddress', [
      customerId,
      secondAddress,
      {},
    ]);
    expect(one.error).toBeNull();
    expect(one.data.shipTo).toMatchObject({ address1: '1 Market St', country: 'US' });

    // SAMPLES delete-customer-shipping-address.js (a non-default address)
    const del = await call('CustomerShippingAddressApi', 'deleteCustomerShippingAddress', [
      customerId,
      secondAddress,
      {},
    ]);
    expectAnswered(del, 204);
  });
});

/**
 * The samples' $102.21 card payment: SAMPLES `simple-authorization-internet.js`, and the
 * `*-for-timeout-*-flow.js` ones under a `transactionId`.
 */
const samplePayment = (capture: boolean, transactionId?: string) =>
  call('PaymentsApi', 'createPayment', [
    {
      clientReferenceInformation: {
        code: 'TC50171_3',
        ...(transactionId ? { transactionId } : {}),
      },
      processingInformation: { capture },
      paymentInformation: {
        card: { number: '4111111111111111', expirationMonth: '12', expirationYear: '2031' },
      },
      orderInformation: {
        amountDetails: { totalAmount: '102.21', currency: 'USD' },
        billTo: SAMPLE_BILL_TO,
      },
    },
  ]);

describe('the official timeout-reversal sample', () => {
  const clock = async (offsetMs: number) => {
    const res = await fetch(`${emulator.url}/__emulator/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offsetMs }),
    });
    expect(res.status).toBe(204);
  };
  afterAll(() => clock(0));

  it('reverses the authorization it names by transactionId, with no currency', async () => {
    // SAMPLES Samples/Payments/Payments/authorization-for-timeout-reversal-flow.js: an
    // authorization carrying the transactionId the reversal will name.
    const transactionId = String(Date.now());
    const auth = await samplePayment(false, transactionId);
    expect(auth.data.status).toBe('AUTHORIZED');
    await clock(61_000); // CyberSource asks for a 60-second wait before a timeout reversal

    // SAMPLES Samples/Payments/Reversal/timeout-reversal.js: the amount, no currency.
    const reversed = await call('ReversalApi', 'mitReversal', [
      {
        clientReferenceInformation: { code: 'TC50171_3', transactionId },
        reversalInformation: { amountDetails: { totalAmount: '102.21' }, reason: 'testing' },
      },
    ]);
    expectAnswered(reversed, 201);
    expect(reversed.data.status).toBe('REVERSED');
    expect(reversed.data.reversalAmountDetails.reversedAmount).toBe('102.21');
  });

  it('voids a sale by transactionId as the timeout-void sample does', async () => {
    // SAMPLES Samples/Payments/Payments/authorization-capture-for-timeout-void-flow.js, then
    // Samples/Payments/Void/timeout-void.js: nothing but the transactionId.
    const transactionId = `${Date.now()}1`;
    const sale = await samplePayment(true, transactionId);
    expect(sale.data.status).toBe('AUTHORIZED');
    const voided = await call('VoidApi', 'mitVoid', [
      { clientReferenceInformation: { code: 'TC50171_3', transactionId } },
    ]);
    expectAnswered(voided, 201);
    expect(voided.data.status).toBe('VOIDED');
  });
});

describe('the official follow-on samples: capture, refund of the capture, authorization reversal', () => {
  const authorize = async () => {
    const auth = await samplePayment(false);
    expect(auth.data.status).toBe('AUTHORIZED');
    return auth.data.id as string;
  };
  const amount = {
    clientReferenceInformation: { code: 'TC50171_3' },
    orderInformation: { amountDetails: { totalAmount: '102.21', currency: 'USD' } },
  };

  // The samples' own chain authorizes 50.00 (simple-authorizationinternet.js) and then refunds
  // 102.21 of its capture (refund-capture.js): refused, 400 INVALID_AMOUNT, as a refund above what
  // was captured must be. Here the authorization, the capture and the refund are all 102.21.
  it('captures 102.21 (capture-payment.js), then refunds that capture (refund-capture.js)', async () => {
    const captured = await call('CaptureApi', 'capturePayment', [amount, await authorize()]);
    expectAnswered(captured, 201);
    expect(captured.data.status).toBe('PENDING');
    const refunded = await call('RefundApi', 'refundCapture', [amount, captured.data.id]);
    expectAnswered(refunded, 201);
    expect(refunded.data.refundAmountDetails.refundAmount).toBe('102.21');
  });

  it('reverses by payment id with the amount and no currency (process-authorization-reversal.js)', async () => {
    const reversed = await call('ReversalApi', 'authReversal', [
      await authorize(),
      {
        clientReferenceInformation: { code: 'TC50171_3' },
        reversalInformation: { amountDetails: { totalAmount: '102.21' }, reason: 'testing' },
      },
    ]);
    expectAnswered(reversed, 201);
    expect(reversed.data.status).toBe('REVERSED');
  });
});

describe('the request line as it arrives', () => {
  /** Sends a request signed over `path` exactly as written, the way the Node SDK signs. */
  function rawSigned(path: string, host: string): Promise<{ status: number; text: string }> {
    const signed = signRequest({
      method: 'GET',
      target: path,
      host,
      date: new Date().toUTCString(),
      merchantId: SAMPLE_MERCHANT.merchantId,
      keyId: SAMPLE_MERCHANT.keyId,
      secretBase64: SAMPLE_MERCHANT.secretBase64,
    });
    const to = new URL(emulator.url);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        { hostname: to.hostname, port: to.port, path, method: 'GET', headers: { ...signed } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString('utf8');
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  async function identifier(number: string): Promise<string> {
    const ii = await call('InstrumentIdentifierApi', 'postInstrumentIdentifier', [
      { card: { number } },
      {},
    ]);
    return ii.data.id;
  }

  it('verifies a path with a ./ segment, which URL parsing would drop', async () => {
    const id = await identifier('378282246310005');
    const r = await rawSigned(`/tms/v1/./instrumentidentifiers/${id}`, 'apitest.cybersource.com');
    expect(r.status).toBe(200);
  });

  it("verifies a query holding ', which querystring.stringify leaves and URL parsing encodes", async () => {
    const id = await identifier('6011111111111117');
    const r = await rawSigned(
      `/tms/v1/instrumentidentifiers/${id}/paymentinstruments?note=o'brien`,
      'apitest.cybersource.com',
    );
    // past authentication: the unknown query parameter is the TMS's own 400, not a 401
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).errors[0].type).toBe('invalidParameters');
  });

  it('logs host_mismatch for a request signed for another host than it names', async () => {
    emulator.state.reset();
    const signed = signRequest({
      method: 'GET',
      target: '/tms/v1/instrumentidentifiers/7010000000016241111',
      host: 'apitest.cybersource.com',
      date: new Date().toUTCString(),
      merchantId: SAMPLE_MERCHANT.merchantId,
      keyId: SAMPLE_MERCHANT.keyId,
      secretBase64: SAMPLE_MERCHANT.secretBase64,
    });
    // fetch sends the URL's host, not the one signed
    const { host: _signedHost, ...headers } = signed;
    const r = await fetch(`${emulator.url}/tms/v1/instrumentidentifiers/7010000000016241111`, {
      headers,
    });
    expect(r.status).toBe(401);
    expect(emulator.state.authFailures).toEqual(['host_mismatch']);
  });
});
