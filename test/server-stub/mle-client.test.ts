/**
 * The signed client with message-level encryption (server-stub/cybersource/client.ts): what
 * leaves the stub and what it reads back, checked on the wire with a CyberSource stand-in on
 * the injected fetch. The emulator's side, and the stub against it, are in their own files.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { JtiReplayGuard, sha256Base64, verifyJwtRequest } from '../../cybersource/auth/index.ts';
import { decryptMessage, encryptMessage, type MleRecipient } from '../../cybersource/mle/index.ts';
import type { CheckoutContext } from '../../server-stub/checkout/context.ts';
import { SAMPLE_CREDENTIALS } from '../../server-stub/config/env.ts';
import { CyberSourceClient } from '../../server-stub/cybersource/client.ts';
import { createCaptureContext } from '../../server-stub/cybersource/microform-sessions.ts';
import { createPayment } from '../../server-stub/cybersource/payments.ts';
import { createLogger } from '../../server-stub/logger.ts';
import { cancelByTransactionId } from '../../server-stub/reconcile/cancel.ts';
import { LogSink } from './harness.ts';

const cyberSource = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const REQUEST_KID = 'SJC3051627185';
const RESPONSE_KID = 'merchant-response-1';
const SALE = {
  clientReferenceInformation: { code: 'order-1', transactionId: 'tx-1' },
  processingInformation: { capture: true },
  tokenInformation: { transientTokenJwt: 'eyJ.transient.token' },
  orderInformation: { amountDetails: { totalAmount: '25.00', currency: 'USD' } },
};

interface Seen {
  method: string;
  path: string;
  body: string;
  authorization: string;
}

/** CyberSource on `fetch`: records each request, answers with `answer(seen)`. */
function wire(answer: (seen: Seen) => Promise<{ status: number; body: string }>) {
  const seen: Seen[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = new URL(String(input));
    const s: Seen = {
      method: String(init?.method),
      path: url.pathname,
      body: String(init?.body ?? ''),
      authorization: String(new Headers(init?.headers).get('authorization')),
    };
    seen.push(s);
    const a = await answer(s);
    return new Response(a.body, {
      status: a.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { seen, fetchFn };
}

function client(
  fetchFn: typeof fetch,
  logs = new LogSink(),
  response = true,
  request: MleRecipient = { publicKey: cyberSource.publicKey, kid: REQUEST_KID },
) {
  return new CyberSourceClient(
    {
      baseUrl: 'https://apitest.cybersource.com',
      merchantId: SAMPLE_CREDENTIALS.merchantId,
      keyId: SAMPLE_CREDENTIALS.keyId,
      secretKey: SAMPLE_CREDENTIALS.secretKey,
      auth: 'jwt',
      mle: {
        request,
        response: response ? { privateKey: merchant.privateKey, kid: RESPONSE_KID } : undefined,
      },
    },
    {
      fetch: fetchFn,
      now: () => new Date(),
      sleep: async () => undefined,
      logger: createLogger({ level: 'debug', destination: logs }),
    },
  );
}

/** A client whose request key cannot encrypt (an EC key where MLE wraps with RSA-OAEP). */
const unencryptable = (fetchFn: typeof fetch) =>
  client(fetchFn, new LogSink(), false, {
    publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
    kid: 'x',
  });

const sealed = async (body: unknown) =>
  JSON.stringify({
    encryptedResponse: await encryptMessage(
      JSON.stringify(body),
      { publicKey: merchant.publicKey, kid: RESPONSE_KID },
      new Date(),
    ),
  });

describe('the client with message-level encryption', () => {
  it('sends a payment encrypted to CyberSource, signed as sent, and reads the encrypted answer', async () => {
    const { seen, fetchFn } = wire(async () => ({
      status: 201,
      body: await sealed({
        id: '7000000000000000000001',
        status: 'AUTHORIZED',
        submitTimeUtc: '2026-11-28T12:00:00Z',
      }),
    }));
    const paid = await createPayment(client(fetchFn), SALE as never);
    expect(paid).toMatchObject({ outcome: 'answered', response: { status: 'AUTHORIZED' } });

    const sent = seen[0];
    // Nothing of the request readable on the wire: one field, the JWE.
    expect(Object.keys(JSON.parse(sent?.body ?? '{}'))).toEqual(['encryptedRequest']);
    expect(sent?.body).not.toContain('transient');
    expect(sent?.body).not.toContain('25.00');
    const opened = await decryptMessage(
      JSON.parse(sent?.body ?? '{}').encryptedRequest,
      cyberSource.privateKey,
    );
    expect(opened).toMatchObject({ ok: true, kid: REQUEST_KID });
    expect(JSON.parse(opened.ok ? opened.plaintext : '{}')).toEqual(SALE);

    // The JWT's digest is over the encrypted body; the claim names the response key.
    const claims = decodeJwt(sent?.authorization.replace(/^Bearer /, '') ?? '');
    expect(claims.digest).toBe(sha256Base64(sent?.body ?? ''));
    expect(claims['v-c-response-mle-kid']).toBe(RESPONSE_KID);
    const verified = await verifyJwtRequest(
      {
        method: 'POST',
        target: '/pts/v2/payments',
        host: 'apitest.cybersource.com',
        authorization: sent?.authorization,
        body: Buffer.from(sent?.body ?? ''),
      },
      {
        now: new Date(),
        replayGuard: new JtiReplayGuard(),
        findKey: () => ({
          keyId: SAMPLE_CREDENTIALS.keyId,
          merchantId: SAMPLE_CREDENTIALS.merchantId,
          secretBase64: SAMPLE_CREDENTIALS.secretKey,
        }),
      },
    );
    expect(verified).toMatchObject({ ok: true, responseMleKid: RESPONSE_KID });
  });

  it('leaves Microform sessions and reads unencrypted, and takes a plain answer as it comes', async () => {
    const { seen, fetchFn } = wire(async () => ({ status: 200, body: '{"status":"PLAIN"}' }));
    const c = client(fetchFn);
    await c.call({ method: 'POST', path: '/microform/v2/sessions', body: { clientVersion: 'v2' } });
    const read = await c.call({ method: 'GET', path: '/tss/v2/transactions/1' });
    expect(seen[0]?.body).toBe('{"clientVersion":"v2"}');
    expect(seen[1]?.body).toBe('');
    expect(read.text).toBe('{"status":"PLAIN"}');
  });

  it('reads a capture context whether CyberSource sends it plain or encrypted', async () => {
    const context = 'eyJraWQiOiJ6dSJ9.eyJmbHgiOnt9fQ.c2lnbmF0dXJl';
    for (const encrypted of [false, true]) {
      const body = encrypted
        ? JSON.stringify({
            encryptedResponse: await encryptMessage(
              context,
              { publicKey: merchant.publicKey, kid: RESPONSE_KID },
              new Date(),
            ),
          })
        : context;
      const { fetchFn } = wire(async () => ({ status: 201, body }));
      expect(await createCaptureContext(client(fetchFn), { clientVersion: 'v2' } as never)).toBe(
        context,
      );
    }
  });

  it('without a response key, asks for no encrypted answer', async () => {
    const { seen, fetchFn } = wire(async () => ({ status: 200, body: '{}' }));
    await client(fetchFn, new LogSink(), false).call({
      method: 'POST',
      path: '/tms/v2/customers',
      body: {},
    });
    const claims = decodeJwt(seen[0]?.authorization.replace(/^Bearer /, '') ?? '');
    expect(claims['v-c-response-mle-kid']).toBeUndefined();
    expect(Object.keys(JSON.parse(seen[0]?.body ?? '{}'))).toEqual(['encryptedRequest']);
  });

  it('treats a payment answer it cannot decrypt as unknown, and says so in the log', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { fetchFn } = wire(async () => ({
      status: 201,
      body: JSON.stringify({
        encryptedResponse: await encryptMessage(
          '{"id":"1","status":"AUTHORIZED"}',
          { publicKey: stranger.publicKey, kid: 'someone-else' },
          new Date(),
        ),
      }),
    }));
    const logs = new LogSink();
    const paid = await createPayment(client(fetchFn, logs), SALE as never);
    // The money may have moved: the stub reconciles rather than calling it declined or failed.
    expect(paid).toEqual({ outcome: 'unknown', why: 'unreadable' });
    expect(logs.text).toContain('cybersource answer could not be decrypted');
    expect(logs.text).not.toContain('encryptedResponse');
  });

  it('reads an encrypted answer as unreadable when no response key is configured', async () => {
    const { fetchFn } = wire(async () => ({ status: 200, body: await sealed({ hits: [] }) }));
    const c = client(fetchFn, new LogSink(), false);
    await expect(c.call({ method: 'GET', path: '/tss/v2/transactions/1' })).rejects.toMatchObject({
      name: 'TransportError',
      failure: 'unreadable',
      sent: true,
    });
  });

  it('sends nothing when the body cannot be encrypted, so the payment is refused, not unknown', async () => {
    const { seen, fetchFn } = wire(async () => ({ status: 201, body: '{}' }));
    const c = unencryptable(fetchFn);
    const paid = await createPayment(c, SALE as never);
    expect(paid).toMatchObject({ outcome: 'rejected', error: { code: 'gateway_unavailable' } });
    expect(seen).toEqual([]);
  });

  it('takes any answer carrying encryptedResponse beside other fields, or not a JWE, as unreadable', async () => {
    const jwe = JSON.parse(await sealed({ hits: [] })).encryptedResponse;
    for (const body of [
      { encryptedResponse: jwe, submitTimeUtc: '2026-11-28T12:00:00Z' },
      { encryptedResponse: null },
      { encryptedResponse: '' },
    ]) {
      const { fetchFn } = wire(async () => ({ status: 201, body: JSON.stringify(body) }));
      await expect(
        client(fetchFn).call({ method: 'POST', path: '/tss/v2/searches', body: {} }),
      ).rejects.toMatchObject({ failure: 'unreadable' });
    }
    // A refusal that names the field in its details is no encrypted answer: read as it is.
    const refusal = { status: 'INVALID_REQUEST', details: [{ field: 'encryptedResponse' }] };
    const { fetchFn } = wire(async () => ({ status: 400, body: JSON.stringify(refusal) }));
    const read = await client(fetchFn).call({ method: 'POST', path: '/pts/v2/payments', body: {} });
    expect(JSON.parse(read.text)).toEqual(refusal);
  });

  it('reads a void that never left (its body could not be encrypted) as no answer, not as stuck', async () => {
    const { seen, fetchFn } = wire(async () => ({ status: 201, body: '{}' }));
    const c = unencryptable(fetchFn);
    const cancel = await cancelByTransactionId(
      { client: c } as unknown as CheckoutContext,
      { code: 'order-1', transactionId: 'tx-1', amount: 2500, currency: 'USD', reversible: true },
      'req-1',
    );
    expect(cancel).toEqual({ outcome: 'unknown', why: 'void_not_sent' });
    expect(seen).toEqual([]);
  });
});
