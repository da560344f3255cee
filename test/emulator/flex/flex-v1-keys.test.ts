import { constants, createPublicKey, privateDecrypt, publicEncrypt } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FlexKeyErrorBody, FlexKeyResponse } from '../../../cybersource/flex-keys/response.ts';
import { flexEmulator } from './flex-helpers.ts';

let clock = new Date('2026-03-01T12:00:00Z');
const t = flexEmulator({ now: () => clock });

describe('POST /flex/v1/keys', () => {
  beforeEach(() => {
    t.emulator.state.reset();
    clock = new Date('2026-03-01T12:00:00Z');
  });

  it('answers 200 with keyId, DER and JWK of one RSA key, valid 15 minutes', async () => {
    const r = await t.call('/flex/v1/keys', { body: { encryptionType: 'RsaOaep256' } });
    expect(r.status).toBe(200);
    const key = FlexKeyResponse.parse(r.body);
    expect(key.keyId).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(key.jwk.kid).toBe(key.keyId);
    const fromDer = createPublicKey({
      key: Buffer.from(key.der.publicKey, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(fromDer.export({ format: 'jwk' })).toEqual({ kty: 'RSA', n: key.jwk.n, e: key.jwk.e });
    expect(fromDer.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const record = t.emulator.state.flex.v1Keys.get(key.keyId);
    expect(record?.merchantId).toBe('testrest');
    expect(record?.expiresAt.getTime()).toBe(clock.getTime() + 900_000);
    // The emulator holds the matching private key (RSA-OAEP-256 round trip).
    const secret = Buffer.from('4111111111111111');
    const sealed = publicEncrypt(
      { key: fromDer, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING },
      secret,
    );
    if (!record) throw new Error('no record');
    const opened = privateDecrypt(
      { key: record.privateKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING },
      sealed,
    );
    expect(opened.equals(secret)).toBe(true);
  });

  it.each(['RsaOaep', 'None'])(
    'accepts encryptionType %s and a targetOrigin',
    async (encryptionType) => {
      const r = await t.call('/flex/v1/keys', {
        body: { encryptionType, targetOrigin: 'http://localhost:3000' },
      });
      expect(r.status).toBe(200);
    },
  );

  it.each([
    ['a missing encryptionType', {}, 'encryptionType'],
    ['an unknown encryptionType', { encryptionType: 'Rsa' }, 'encryptionType'],
    [
      'a targetOrigin that is not https',
      { encryptionType: 'RsaOaep256', targetOrigin: 'http://shop.example' },
      'targetOrigin',
    ],
  ])('refuses %s in the responseStatus envelope', async (_, body, location) => {
    const r = await t.call('/flex/v1/keys', { body });
    expect(r.status).toBe(400);
    const error = FlexKeyErrorBody.parse(r.body);
    expect(error.responseStatus).toMatchObject({ status: 400, reason: 'VALIDATION_ERROR' });
    expect(error.responseStatus.correlationId).toBe(r.headers.get('v-c-correlation-id'));
    expect(error.responseStatus.details?.map((d) => d.location)).toEqual([location]);
  });

  it('refuses ?format=JWT (Microform 0.11 is past end of life)', async () => {
    const r = await t.call('/flex/v1/keys?format=JWT', { body: { encryptionType: 'RsaOaep256' } });
    expect(r.status).toBe(400);
    expect(r.body.responseStatus.details[0].location).toBe('format');
  });

  it('requires CyberSource authentication', async () => {
    const r = await t.call('/flex/v1/keys', {
      body: { encryptionType: 'RsaOaep256' },
      auth: 'none',
    });
    expect(r.status).toBe(401);
  });
});
