/**
 * Message-level encryption in the emulator (emulator/mle, README "Message-level encryption"):
 * encrypted requests decrypted under JWT and refused when they do not decrypt, plain ones refused
 * only while MLE is required, answers encrypted to the key the JWT names, and what stays plain.
 */
import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { decodeProtectedHeader } from 'jose';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  decryptMessage,
  EncryptedResponse,
  encryptMessage,
  type MleRecipient,
  subjectSerialNumber,
} from '../../cybersource/mle/index.ts';
import { configFromEnv, type EmulatorConfig, SAMPLE_MERCHANT } from '../../emulator/config.ts';
import { generateKeyPairAsync, type RsaKeyPair } from '../../emulator/flex/key-pool.ts';
import { inProcessFetch } from '../../emulator/in-process.ts';
import type { CallOptions } from '../helpers/cybersource-request.ts';
import { cardPayment, START, setup, VISA } from './payments/setup.ts';
import { OTHER_MERCHANT } from './tms/harness.ts';

const RESPONSE_KID = 'merchant-response-key-1';

/** The merchant's response key pair, and an RSA key that is nobody's MLE key. */
let merchant: RsaKeyPair;
let stranger: RsaKeyPair;
beforeAll(async () => {
  [merchant, stranger] = await Promise.all([generateKeyPairAsync(), generateKeyPairAsync()]);
});

function mleSetup(config: Partial<EmulatorConfig> = {}) {
  const t = setup(config);
  const fetchFn = inProcessFetch(t.emulator);
  const control = (path: string, init?: RequestInit) =>
    fetchFn(`http://localhost:4010/__emulator${path}`, init);
  /** The request certificate, as the merchant downloads it, and the key id it names. */
  const certificate = async () => {
    const res = await control('/mle/request-certificate');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-pem-file');
    const pem = await res.text();
    const cert = new X509Certificate(pem);
    return { pem, cert, kid: subjectSerialNumber(cert) ?? '' };
  };
  const registerKey = (kid: string, publicKey: string, extra: Record<string, unknown> = {}) =>
    control(`/mle/response-keys/${encodeURIComponent(kid)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey, ...extra }),
    });
  /** `body` encrypted to `to` (default: the emulator's request key) and sent under JWT. */
  const sendEncrypted = async (
    path: string,
    body: unknown,
    {
      to,
      jwe: alter,
      ...o
    }: CallOptions & { to?: MleRecipient; jwe?: (jwe: string) => string } = {},
  ) => {
    const { cert, kid } = await certificate();
    const recipient = to ?? { publicKey: cert.publicKey, kid };
    const jwe = await encryptMessage(JSON.stringify(body), recipient, t.emulator.state.now());
    return t.call(path, {
      auth: 'jwt',
      rawBody: JSON.stringify({ encryptedRequest: alter ? alter(jwe) : jwe }),
      ...o,
    });
  };
  const log = () => t.emulator.state.requests.list();
  const payments = () => t.emulator.state.payments.transactions.size;
  return { ...t, control, certificate, registerKey, sendEncrypted, log, payments };
}

const pem = (k: KeyObject) => String(k.export({ type: 'spki', format: 'pem' }));

/** Changes one character in the middle of the JWE's ciphertext (its 4th part). */
function tamperCiphertext(jwe: string): string {
  const parts = jwe.split('.');
  const c = parts[3] ?? '';
  const i = Math.floor(c.length / 2);
  parts[3] = c.slice(0, i) + (c[i] === 'A' ? 'B' : 'A') + c.slice(i + 1);
  return parts.join('.');
}

describe('the request-MLE certificate (GET /__emulator/mle/request-certificate)', () => {
  it('is CyberSource_SJC_US, named by its subject serialNumber, valid from a day before now', async () => {
    const t = mleSetup();
    const { cert, kid } = await t.certificate();
    expect(cert.subject).toContain('CN=CyberSource_SJC_US');
    expect(kid).toMatch(/^SJC\d{12}$/);
    expect(Date.parse(cert.validFrom)).toBe(START - 24 * 3600 * 1000);
    expect(Date.parse(cert.validTo)).toBeGreaterThan(START + 2 * 365 * 24 * 3600 * 1000);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
  });

  it('is made once, by concurrent first downloads too, and kept across a reset', async () => {
    const t = mleSetup();
    const [a, b] = await Promise.all([t.certificate(), t.certificate()]);
    expect(b.pem).toBe(a.pem);
    t.reset();
    expect((await t.certificate()).pem).toBe(a.pem);
  });
});

describe('encrypted requests', () => {
  const t = mleSetup();
  beforeEach(() => t.reset());

  it('takes an encrypted sale: the payment is made from the plaintext', async () => {
    const r = await t.sendEncrypted('/pts/v2/payments', cardPayment({ capture: true }));
    expect(r.status).toBe(201);
    expect(r.body.status).toBe('AUTHORIZED');
    const details = await t.call(`/tss/v2/transactions/${r.body.id}`);
    expect(details.status).toBe(200);
    expect(details.body.orderInformation.amountDetails.totalAmount).toBe('102.21');
    expect(t.log().at(-2)).toMatchObject({ status: 201, mle: { requestDecrypted: true } });
  });

  it('takes an encrypted TMS call and an encrypted transaction search', async () => {
    const customer = await t.sendEncrypted('/tms/v2/customers', {
      buyerInformation: { email: 'mle@example.com' },
    });
    expect(customer.status).toBe(201);
    expect(t.emulator.state.tms.customers.get(customer.body.id)).toBeDefined();
    await t.sendEncrypted('/pts/v2/payments', cardPayment({ code: 'mle-search' }));
    const search = await t.sendEncrypted('/tss/v2/searches', {
      query: 'clientReferenceInformation.code:mle-search',
    });
    expect(search.status).toBe(201);
    expect(search.body.totalCount).toBe(1);
  });

  it.each([
    ['a tampered JWE', 'undecryptable'],
    ['a JWE for another key', 'undecryptable'],
    ['a JWE naming another key id', 'wrong_kid'],
  ] as const)('refuses %s 400 with no payment made', async (name, failure) => {
    const { cert, kid } = await t.certificate();
    const options =
      name === 'a tampered JWE'
        ? { jwe: tamperCiphertext }
        : name === 'a JWE for another key'
          ? { to: { publicKey: stranger.publicKey, kid } }
          : { to: { publicKey: cert.publicKey, kid: `${kid}0` } };
    const r = await t.sendEncrypted('/pts/v2/payments', cardPayment(), options);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/hal+json');
    expect(r.body).toEqual({
      submitTimeUtc: '2026-03-10T12:00:00Z',
      status: 'INVALID_REQUEST',
      reason: 'INVALID_DATA',
      message: 'Declined - One or more fields in the request contains invalid data',
      details: [{ field: 'encryptedRequest', reason: 'INVALID_DATA' }],
    });
    expect(t.payments()).toBe(0);
    expect(t.log().at(-1)).toMatchObject({ status: 400, mle: { refused: failure } });
  });

  it('refuses a TMS call in the TMS envelope, creating nothing', async () => {
    const r = await t.sendEncrypted(
      '/tms/v2/customers',
      { buyerInformation: { email: 'mle@example.com' } },
      { jwe: tamperCiphertext },
    );
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/json;charset=utf-8');
    expect(r.body).toEqual({
      errors: [
        {
          type: 'invalidFields',
          message: 'Invalid body values.',
          details: [{ name: 'encryptedRequest' }],
        },
      ],
    });
    expect(t.emulator.state.tms.customers.size).toBe(0);
  });

  it('does not decrypt under an HTTP signature: the handler refuses the body, nothing is paid', async () => {
    const { cert, kid } = await t.certificate();
    const jwe = await encryptMessage(
      JSON.stringify(cardPayment()),
      { publicKey: cert.publicKey, kid },
      t.emulator.state.now(),
    );
    const r = await t.call('/pts/v2/payments', {
      rawBody: JSON.stringify({ encryptedRequest: jwe }),
    });
    expect(r.status).toBe(400);
    expect(r.body.status).toBe('INVALID_REQUEST');
    expect(r.body.details).not.toContainEqual({
      field: 'encryptedRequest',
      reason: 'INVALID_DATA',
    });
    expect(t.payments()).toBe(0);
    expect(t.log().at(-1)?.mle).toBeUndefined();
  });

  it('takes a plain JWT body while MLE is not required', async () => {
    const r = await t.call('/pts/v2/payments', { auth: 'jwt', body: cardPayment() });
    expect(r.status).toBe(201);
    expect(t.log().at(-1)?.mle).toBeUndefined();
  });

  it('keeps the plaintext out of every answer and log entry', async () => {
    const refused = await t.sendEncrypted('/pts/v2/payments', cardPayment(), {
      jwe: tamperCiphertext,
    });
    const taken = await t.sendEncrypted(
      '/pts/v2/payments',
      cardPayment({ number: '5555555555554444' }),
    );
    expect(taken.status).toBe(201);
    for (const text of [refused.text, taken.text, JSON.stringify(t.log())]) {
      expect(text).not.toContain(VISA);
      expect(text).not.toContain('5555555555554444');
    }
  });
});

describe('EMULATOR_MLE_REQUIRED', () => {
  const t = mleSetup({ mleRequired: true });
  beforeEach(() => t.reset());

  it('refuses a plain JWT body on a call that takes MLE, in each family envelope', async () => {
    const pay = await t.call('/pts/v2/payments', { auth: 'jwt', body: cardPayment() });
    expect(pay.status).toBe(400);
    expect(pay.body).toMatchObject({
      status: 'INVALID_REQUEST',
      reason: 'MISSING_FIELD',
      details: [{ field: 'encryptedRequest', reason: 'MISSING_FIELD' }],
    });
    const tms = await t.call('/tms/v2/customers', {
      auth: 'jwt',
      body: { buyerInformation: { email: 'plain@example.com' } },
    });
    expect(tms.status).toBe(400);
    expect(tms.body).toEqual({
      errors: [
        {
          type: 'missingFields',
          message: 'Missing body values.',
          details: [{ name: 'encryptedRequest' }],
        },
      ],
    });
    expect(t.payments()).toBe(0);
    expect(t.emulator.state.tms.customers.size).toBe(0);
    expect(t.log().map((e) => e.mle?.refused)).toEqual(['not_encrypted', 'not_encrypted']);
  });

  it('takes the same sale encrypted, and bodiless reads plain', async () => {
    const r = await t.sendEncrypted('/pts/v2/payments', cardPayment());
    expect(r.status).toBe(201);
    expect((await t.call(`/pts/v2/payments/${r.body.id}`, { auth: 'jwt' })).status).toBe(200);
  });

  it('leaves HTTP-signature requests alone (they cannot carry MLE)', async () => {
    const r = await t.post('/pts/v2/payments', cardPayment());
    expect(r.status).toBe(201);
  });

  it('is read from the environment, true or false only', () => {
    expect(configFromEnv({ EMULATOR_MLE_REQUIRED: 'true' }).config.mleRequired).toBe(true);
    expect(configFromEnv({}).config.mleRequired).toBe(false);
    expect(() => configFromEnv({ EMULATOR_MLE_REQUIRED: 'yes' })).toThrow(/EMULATOR_MLE_REQUIRED/);
  });
});

describe('encrypted answers (v-c-response-mle-kid)', () => {
  const t = mleSetup();
  beforeAll(async () => {
    expect((await t.registerKey(RESPONSE_KID, pem(merchant.publicKey))).status).toBe(204);
  });
  beforeEach(() => t.reset());

  const open = async (text: string) => {
    const { encryptedResponse } = EncryptedResponse.parse(JSON.parse(text));
    expect(decodeProtectedHeader(encryptedResponse)).toMatchObject({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: RESPONSE_KID,
    });
    const plain = await decryptMessage(encryptedResponse, merchant.privateKey);
    if (!plain.ok) throw new Error('the answer does not decrypt with the merchant key');
    return JSON.parse(plain.plaintext);
  };

  it('encrypts a success, with the same status and content type', async () => {
    const r = await t.sendEncrypted('/pts/v2/payments', cardPayment(), {
      responseMleKid: RESPONSE_KID,
    });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toBe('application/hal+json');
    const body = await open(r.text);
    expect(body.status).toBe('AUTHORIZED');
    expect(t.emulator.state.payments.transactions.has(body.id)).toBe(true);
    expect(t.log().at(-1)?.mle).toEqual({
      requestDecrypted: true,
      responseKid: RESPONSE_KID,
      responseEncrypted: true,
    });
  });

  it('encrypts reads and refusals too, the MLE refusals included', async () => {
    const read = await t.call('/tss/v2/transactions/1234567890123456789012', {
      auth: 'jwt',
      responseMleKid: RESPONSE_KID,
    });
    expect(read.status).toBe(404);
    expect((await open(read.text)).status).toBe('NOT_FOUND');
    const refused = await t.sendEncrypted('/pts/v2/payments', cardPayment(), {
      responseMleKid: RESPONSE_KID,
      jwe: tamperCiphertext,
    });
    expect(refused.status).toBe(400);
    expect((await open(refused.text)).details).toEqual([
      { field: 'encryptedRequest', reason: 'INVALID_DATA' },
    ]);
  });

  it('refuses an unregistered key id before processing, plain', async () => {
    const r = await t.sendEncrypted('/pts/v2/payments', cardPayment(), {
      responseMleKid: 'never-registered',
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      status: 'INVALID_REQUEST',
      reason: 'INVALID_DATA',
      details: [{ field: 'v-c-response-mle-kid', reason: 'INVALID_DATA' }],
    });
    expect(t.payments()).toBe(0);
  });

  it("refuses another merchant's key id: a key is one merchant's setting", async () => {
    const two = mleSetup({ keys: [SAMPLE_MERCHANT, OTHER_MERCHANT] });
    expect((await two.registerKey('mine', pem(merchant.publicKey))).status).toBe(204);
    const own = await two.call('/tss/v2/transactions/1', { auth: 'jwt', responseMleKid: 'mine' });
    expect(EncryptedResponse.safeParse(own.body).success).toBe(true);
    const other = await two.call('/tss/v2/transactions/1', {
      auth: 'jwt',
      responseMleKid: 'mine',
      key: OTHER_MERCHANT,
    });
    expect(other.status).toBe(400);
    expect(other.body.details).toEqual([{ field: 'v-c-response-mle-kid', reason: 'INVALID_DATA' }]);
    const unknown = await two.registerKey('x', pem(merchant.publicKey), { merchantId: 'nobody' });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error.details[0].path).toEqual(['merchantId']);
    expect(
      (
        await two.registerKey('theirs', pem(merchant.publicKey), {
          merchantId: OTHER_MERCHANT.merchantId,
        })
      ).status,
    ).toBe(204);
  });

  it('leaves a scripted 502 plain, and a refusal does not use the fault up', async () => {
    const armed = await t.control('/faults', {
      method: 'POST',
      body: JSON.stringify({
        method: 'POST',
        path: '/pts/v2/payments',
        fault: '502',
        processed: true,
      }),
    });
    expect(armed.status).toBe(201);
    const refused = await t.sendEncrypted('/pts/v2/payments', cardPayment(), {
      responseMleKid: 'never-registered',
    });
    expect(refused.status).toBe(400);
    const r = await t.sendEncrypted('/pts/v2/payments', cardPayment(), {
      responseMleKid: RESPONSE_KID,
    });
    expect(r.status).toBe(502);
    expect(r.body).toMatchObject({ status: 'SERVER_ERROR', reason: 'SERVER_TIMEOUT' });
    // Processed: the payment exists, only its answer was lost.
    expect(t.payments()).toBe(1);
    expect(t.log().at(-1)).toMatchObject({
      status: 502,
      fault: '502',
      mle: { requestDecrypted: true, responseKid: RESPONSE_KID },
    });
    expect(t.log().at(-1)?.mle?.responseEncrypted).toBeUndefined();
  });

  it('answers a failed authentication 401, plain', async () => {
    const r = await t.call('/pts/v2/payments', {
      auth: 'jwt',
      body: cardPayment(),
      responseMleKid: RESPONSE_KID,
      key: { merchantId: 'testrest', keyId: 'unknown', secretBase64: 'AAAA' },
    });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ response: { rmsg: 'Authentication Failed' } });
  });
});

describe('registering response keys (PUT/DELETE /__emulator/mle/response-keys/{kid})', () => {
  const t = mleSetup();

  it('takes a certificate PEM as well as a public key, and keeps keys across a reset', async () => {
    const { pem: certificate } = await t.certificate();
    expect((await t.registerKey('from-cert', certificate)).status).toBe(204);
    t.reset();
    const r = await t.call('/tss/v2/transactions/1234567890123456789012', {
      auth: 'jwt',
      responseMleKid: 'from-cert',
    });
    expect(EncryptedResponse.safeParse(r.body).success).toBe(true);
  });

  it.each([
    ['not a PEM', () => 'hello', /PEM public key/],
    [
      'a private key',
      () => String(merchant.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      /private key/,
    ],
    [
      'a broken PEM',
      () => '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n',
      /not a readable/,
    ],
  ])('refuses %s 400, naming publicKey', async (_name, value, message) => {
    const r = await t.registerKey('bad', value());
    expect(r.status).toBe(400);
    const issue = (await r.json()).error.details[0];
    expect(issue.path).toEqual(['publicKey']);
    expect(issue.message).toMatch(message);
  });

  it('refuses a non-RSA key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const r = await t.registerKey('ec', pem(ec.publicKey));
    expect(r.status).toBe(400);
    expect((await r.json()).error.details[0].message).toMatch(/RSA/);
  });

  it('deletes a key: its id is then refused', async () => {
    expect((await t.registerKey('gone', pem(merchant.publicKey))).status).toBe(204);
    expect((await t.control('/mle/response-keys/gone', { method: 'DELETE' })).status).toBe(204);
    expect((await t.control('/mle/response-keys/gone', { method: 'DELETE' })).status).toBe(404);
    const r = await t.call('/tss/v2/transactions/1', { auth: 'jwt', responseMleKid: 'gone' });
    expect(r.status).toBe(400);
    expect(r.body.details).toEqual([{ field: 'v-c-response-mle-kid', reason: 'INVALID_DATA' }]);
  });
});
