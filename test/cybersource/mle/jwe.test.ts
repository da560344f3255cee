import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  decryptMessage,
  EncryptedRequest,
  encryptMessage,
  requestMleApplies,
  subjectSerialNumber,
} from '../../../cybersource/mle/index.ts';
import { selfSignedCertificate } from '../../../emulator/mle/certificate.ts';

const cyberSource = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const now = new Date('2026-11-28T12:00:00Z');
const pem = selfSignedCertificate({
  ...cyberSource,
  commonName: 'CyberSource_SJC_US',
  serialNumber: 'SJC3051627185',
  notBefore: new Date('2026-01-01T00:00:00Z'),
  notAfter: new Date('2029-01-01T00:00:00Z'),
});
const body = JSON.stringify({ paymentInformation: { card: { number: '4111111111111111' } } });

describe('message-level encryption', () => {
  it('reads the key id from the certificate a merchant downloads, as the SDK does', () => {
    const cert = new X509Certificate(pem);
    expect(cert.verify(cyberSource.publicKey)).toBe(true);
    expect(subjectSerialNumber(cert)).toBe('SJC3051627185');
    // node-forge is how the official SDK reads the certificate file (`MLEUtility.js`).
    const forge = createRequire(import.meta.url)('node-forge');
    const attrs = forge.pki.certificateFromPem(pem).subject.attributes;
    expect(attrs.find((a: { name: string }) => a.name === 'serialNumber')?.value).toBe(
      'SJC3051627185',
    );
  });

  it('encrypts with the header CyberSource documents and decrypts only with the right key', async () => {
    const recipient = { publicKey: cyberSource.publicKey, kid: 'SJC3051627185' };
    const jwe = await encryptMessage(body, recipient, now);
    expect(decodeProtectedHeader(jwe)).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      cty: 'JWT',
      kid: 'SJC3051627185',
      iat: Math.floor(now.getTime() / 1000),
    });
    expect(jwe).not.toContain('4111');
    expect(await decryptMessage(jwe, cyberSource.privateKey)).toEqual({
      ok: true,
      plaintext: body,
      kid: 'SJC3051627185',
    });
    expect(await decryptMessage(jwe, other.privateKey)).toEqual({ ok: false });
    const parts = jwe.split('.');
    parts[3] = `${parts[3]?.startsWith('A') ? 'B' : 'A'}${parts[3]?.slice(1)}`;
    expect(await decryptMessage(parts.join('.'), cyberSource.privateKey)).toEqual({ ok: false });
    expect(await decryptMessage('not a jwe', cyberSource.privateKey)).toEqual({ ok: false });
  });

  it("is readable by the official SDK's response decryption", async () => {
    const jwe = await encryptMessage(body, { publicKey: other.publicKey, kid: 'k1' }, now);
    const JWEUtility = createRequire(import.meta.url)(
      'cybersource-rest-client/src/authentication/util/JWEUtility.js',
    );
    const pkcs8 = other.privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(await JWEUtility.decryptJWEUsingPrivateKey(pkcs8, jwe)).toBe(body);
  });

  it('reads and writes what jose, a reference JWE implementation, writes and reads', async () => {
    const ours = await encryptMessage(body, { publicKey: cyberSource.publicKey, kid: 'k1' }, now);
    const read = await compactDecrypt(ours, cyberSource.privateKey);
    expect(new TextDecoder().decode(read.plaintext)).toBe(body);

    const theirs = (alg: string, enc: string, extra: Record<string, unknown> = {}) =>
      new CompactEncrypt(new TextEncoder().encode(body))
        .setProtectedHeader({ alg, enc, kid: 'k2', ...extra })
        .encrypt(cyberSource.publicKey);
    expect(
      await decryptMessage(await theirs('RSA-OAEP-256', 'A256GCM'), cyberSource.privateKey),
    ).toEqual({ ok: true, plaintext: body, kid: 'k2' });
    // What the SDK also reads in answers, only when asked to (a reader of answers).
    const legacy = await theirs('RSA-OAEP', 'A128GCM');
    expect(await decryptMessage(legacy, cyberSource.privateKey)).toEqual({ ok: false });
    expect(await decryptMessage(legacy, cyberSource.privateKey, { legacy: true })).toMatchObject({
      ok: true,
      plaintext: body,
    });
    // A header asking for what MLE never uses is refused, not ignored.
    const zipped = await theirs('RSA-OAEP-256', 'A256GCM', { zip: 'DEF' });
    expect(await decryptMessage(zipped, cyberSource.privateKey)).toEqual({ ok: false });
  });

  it('answers a header naming a prototype property, or a part not base64url, with ok: false', async () => {
    const header = (h: object) => Buffer.from(JSON.stringify(h)).toString('base64url');
    const good = (
      await encryptMessage(body, { publicKey: cyberSource.publicKey, kid: 'k' }, now)
    ).split('.');
    for (const enc of ['constructor', '__proto__', 'toString']) {
      const forged = [header({ alg: 'RSA-OAEP-256', enc }), ...good.slice(1)].join('.');
      expect(await decryptMessage(forged, cyberSource.privateKey, { legacy: true })).toEqual({
        ok: false,
      });
    }
    const padded = [...good.slice(0, 4), `${good[4]}==`].join('.');
    expect(await decryptMessage(padded, cyberSource.privateKey)).toEqual({ ok: false });
  });

  it('wraps a request as one field and nothing else', () => {
    expect(EncryptedRequest.safeParse({ encryptedRequest: 'a.b.c.d.e' }).success).toBe(true);
    expect(EncryptedRequest.safeParse({ encryptedRequest: 'x', amount: 1 }).success).toBe(false);
  });

  it('applies to payment and Token Management writes, not to sessions or reads', () => {
    expect(requestMleApplies('POST', '/pts/v2/payments')).toBe(true);
    expect(requestMleApplies('POST', '/pts/v2/payments/1/refunds')).toBe(true);
    expect(requestMleApplies('PATCH', '/tms/v2/customers/1')).toBe(true);
    expect(requestMleApplies('POST', '/tms/v2/customers')).toBe(true);
    expect(requestMleApplies('POST', '/tss/v2/searches')).toBe(true);
    expect(requestMleApplies('GET', '/tss/v2/transactions/1')).toBe(false);
    expect(requestMleApplies('DELETE', '/tms/v2/customers/1')).toBe(false);
    expect(requestMleApplies('POST', '/microform/v2/sessions')).toBe(false);
    expect(requestMleApplies('POST', '/flex/v1/keys')).toBe(false);
  });
});
