/**
 * Message-level encryption with CyberSource's official Node SDK, unmodified, over real loopback
 * HTTP through the tamper proxy: the merchant downloads the emulator's request certificate (the
 * Business Center's, `mleForRequestPublicCertPath`), registers its response key, and the SDK
 * encrypts its requests and decrypts the answers (`MLEUtility.js`, MLE.md "Request MLE with
 * Shared Secret"). The wire is checked at the proxy: encrypted both ways, no card number.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncryptedRequest,
  EncryptedResponse,
  RESPONSE_MLE_CLAIM,
} from '../../cybersource/mle/index.ts';
import { generateKeyPairAsync } from '../../emulator/flex/key-pool.ts';
import { type RunningEmulator, startEmulator } from '../../emulator/server.ts';
import { SAMPLE_BILL_TO } from '../emulator/payments/setup.ts';
import { SAMPLE_CARD, SAMPLE_SEARCH } from '../fixtures/official-samples.ts';
import { testKeys } from '../helpers/test-keys.ts';
import { callSdk, expectAnswered, sdkConfig } from './sdk.ts';
import { startTamperProxy, type TamperProxy } from './tamper-proxy.ts';

const RESPONSE_KID = 'sdk-compat-response-key';

let plain: RunningEmulator;
let required: RunningEmulator;
let proxy: TamperProxy;
let requiredProxy: TamperProxy;
let dir: string;
/** Per emulator: the SDK's MLE settings for it (certificate file, response key). */
const mleSettings = new Map<RunningEmulator, Record<string, unknown>>();

/** What a merchant does in the Business Center, through the emulator's control API. */
async function enrol(emulator: RunningEmulator, responsePrivateKey: string, publicKey: string) {
  const cert = await fetch(`${emulator.url}/__emulator/mle/request-certificate`);
  expect(cert.status).toBe(200);
  const certPath = join(dir, `cybersource-mle-${emulator.port}.crt`);
  await writeFile(certPath, await cert.text());
  const registered = await fetch(`${emulator.url}/__emulator/mle/response-keys/${RESPONSE_KID}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ publicKey }),
  });
  expect(registered.status).toBe(204);
  mleSettings.set(emulator, {
    mleForRequestPublicCertPath: certPath,
    enableResponseMleGlobally: true,
    responseMlePrivateKey: responsePrivateKey,
    responseMleKID: RESPONSE_KID,
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sdk-mle-'));
  [plain, required] = await Promise.all([
    startEmulator({ keys: testKeys() }),
    startEmulator({ keys: testKeys(), config: { mleRequired: true } }),
  ]);
  [proxy, requiredProxy] = await Promise.all([
    startTamperProxy(plain.url),
    startTamperProxy(required.url),
  ]);
  const merchant = await generateKeyPairAsync();
  const privatePem = String(merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const publicPem = String(merchant.publicKey.export({ type: 'spki', format: 'pem' }));
  await enrol(plain, privatePem, publicPem);
  await enrol(required, privatePem, publicPem);
});
afterAll(async () => {
  await Promise.all([proxy?.close(), requiredProxy?.close()]);
  await Promise.all([plain?.close(), required?.close()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The SDK as MLE.md (ix) configures it with a shared secret, both directions on. */
const mleConfig = (
  via: TamperProxy,
  emulator: RunningEmulator,
  overrides: Record<string, unknown> = {},
) =>
  sdkConfig(via.url, {
    authenticationType: 'jwt',
    jwtKeyType: 'SHARED_SECRET',
    enableRequestMLEForOptionalApisGlobally: true,
    ...mleSettings.get(emulator),
    ...overrides,
  });

/** The request the proxy saw was `{"encryptedRequest"}` to the certificate's kid, no card number. */
function expectEncryptedRequest(via: TamperProxy): void {
  const body = via.last?.body.toString('utf8') ?? '';
  const { encryptedRequest } = EncryptedRequest.parse(JSON.parse(body));
  expect(decodeProtectedHeader(encryptedRequest)).toMatchObject({
    alg: 'RSA-OAEP-256',
    enc: 'A256GCM',
    cty: 'JWT',
    kid: expect.stringMatching(/^SJC\d{12}$/),
  });
  expect(body).not.toContain(SAMPLE_CARD.number);
}

/** The answer the proxy saw was `{"encryptedResponse"}`, and the JWT asked for it. */
function expectEncryptedAnswer(via: TamperProxy): void {
  const token = String(via.last?.headers.authorization).replace(/^Bearer /, '');
  expect(decodeJwt(token)[RESPONSE_MLE_CLAIM]).toBe(RESPONSE_KID);
  const answer = via.lastAnswer?.body.toString('utf8') ?? '';
  expect(EncryptedResponse.safeParse(JSON.parse(answer)).success).toBe(true);
}

const sale = {
  clientReferenceInformation: { code: 'sdk-mle-sale' },
  processingInformation: { capture: true },
  paymentInformation: { card: SAMPLE_CARD },
  orderInformation: {
    amountDetails: { totalAmount: '102.21', currency: 'USD' },
    billTo: SAMPLE_BILL_TO,
  },
};

describe('the official SDK with message-level encryption both ways', () => {
  const call = (Api: string, method: string, args: unknown[]) =>
    callSdk(Api, method, args, mleConfig(proxy, plain));

  it('pays, reads the payment back, creates a customer and refunds, all encrypted', async () => {
    const paid = await call('PaymentsApi', 'createPayment', [sale]);
    expectAnswered(paid, 201);
    expect(paid.data.status).toBe('AUTHORIZED');
    expectEncryptedRequest(proxy);
    expectEncryptedAnswer(proxy);
    expect(plain.state.requests.list().at(-1)?.mle).toEqual({
      requestDecrypted: true,
      responseKid: RESPONSE_KID,
      responseEncrypted: true,
    });

    const read = await call('TransactionDetailsApi', 'getTransaction', [paid.data.id]);
    expectAnswered(read, 200);
    expect(read.data.id).toBe(paid.data.id);
    expect(proxy.last?.body.length).toBe(0);
    expectEncryptedAnswer(proxy);

    const customer = await call('CustomerApi', 'postCustomer', [
      { buyerInformation: { merchantCustomerID: 'sdk-mle', email: 'test@cybs.com' } },
      {},
    ]);
    expectAnswered(customer, 201);
    expect(customer.data.id).toMatch(/^[0-9A-F]{32}$/);
    expectEncryptedRequest(proxy);
    expectEncryptedAnswer(proxy);

    const refund = await call('RefundApi', 'refundPayment', [
      {
        clientReferenceInformation: { code: 'sdk-mle-refund' },
        orderInformation: { amountDetails: { totalAmount: '102.21', currency: 'USD' } },
      },
      paid.data.id,
    ]);
    expectAnswered(refund, 201);
    expect(refund.data.status).toBe('PENDING');
    expectEncryptedRequest(proxy);
    expectEncryptedAnswer(proxy);
  });

  it('searches transactions encrypted (the SDK marks the search optional MLE too)', async () => {
    const code = 'sdk-mle-search';
    const paid = await call('PaymentsApi', 'createPayment', [
      { ...sale, clientReferenceInformation: { code } },
    ]);
    expectAnswered(paid, 201);
    const search = await call('SearchTransactionsApi', 'createSearch', [
      { ...SAMPLE_SEARCH, query: `clientReferenceInformation.code:${code}` },
    ]);
    expectAnswered(search, 201);
    expect(search.data.totalCount).toBe(1);
    expectEncryptedRequest(proxy);
    expectEncryptedAnswer(proxy);
  });

  it('reads an encrypted refusal: the SDK decrypts error bodies too', async () => {
    const refused = await call('PaymentsApi', 'createPayment', [
      { ...sale, orderInformation: { amountDetails: { currency: 'USD' } } },
    ]);
    expect(refused.error?.status).toBe(400);
    expectEncryptedAnswer(proxy);
    expect(JSON.parse(refused.error?.response?.text ?? '{}')).toMatchObject({
      status: 'INVALID_REQUEST',
      reason: 'MISSING_FIELD',
    });
  });
});

describe('the official SDK against an account where MLE is required', () => {
  it('is refused a plain request, readably, and pays once it encrypts', async () => {
    const plainRequest = await callSdk(
      'PaymentsApi',
      'createPayment',
      [sale],
      mleConfig(requiredProxy, required, { enableRequestMLEForOptionalApisGlobally: false }),
    );
    expect(plainRequest.error?.status).toBe(400);
    expect(requiredProxy.last?.body.toString('utf8')).toContain(SAMPLE_CARD.number);
    expect(JSON.parse(plainRequest.error?.response?.text ?? '{}')).toMatchObject({
      reason: 'MISSING_FIELD',
      details: [{ field: 'encryptedRequest', reason: 'MISSING_FIELD' }],
    });
    expect(required.state.payments.transactions.size).toBe(0);

    const encrypted = await callSdk(
      'PaymentsApi',
      'createPayment',
      [sale],
      mleConfig(requiredProxy, required),
    );
    expectAnswered(encrypted, 201);
    expect(encrypted.data.status).toBe('AUTHORIZED');
    expectEncryptedRequest(requiredProxy);
  });
});
