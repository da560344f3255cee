import { createHash } from 'node:crypto';
import { jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { MicroformSessionErrorBody } from '../../../cybersource/envelopes.ts';
import { microformContext } from '../../../cybersource/microform-sessions/capture-context.ts';
import { PublicKeyResponse } from '../../../cybersource/microform-sessions/public-key.ts';
import { MICROFORM_LIBRARY_PATH, microformLibrary } from '../../../emulator/microform/assets.ts';
import { flexEmulator, importRsa, kidOf, PUBLIC_URL, SESSION } from './flex-helpers.ts';

const t = flexEmulator();

describe('POST /microform/v2/sessions', () => {
  beforeEach(() => t.emulator.state.reset());

  it('answers 201 with a raw RS256 JWT that verifies with the public-keys endpoint', async () => {
    const r = await t.call('/microform/v2/sessions', { body: SESSION });
    expect(r.status).toBe(201);
    expect(r.headers.get('content-type')).toMatch(/^application\/jwt/);
    expect(r.text.split('.')).toHaveLength(3);
    const kid = kidOf(r.text);
    expect(kid).toMatch(/^[a-z0-9]{2}$/);
    const res = await t.publicFetch(`/flex/v2/public-keys/${kid}`);
    expect(res.status).toBe(200);
    const jwk = PublicKeyResponse.parse(await res.json());
    expect(jwk).toMatchObject({ kty: 'RSA', e: 'AQAB', kid });
    const { payload, protectedHeader } = await jwtVerify(r.text, await importRsa(jwk, 'RS256'));
    expect(protectedHeader).toEqual({ kid, alg: 'RS256' });
    expect(payload.iss).toBe('Flex API');
  });

  it('signs every capture context with the same long-lived key and a fresh one-time flx key', async () => {
    const a = await t.session();
    const b = await t.session();
    expect(kidOf(a.jwt)).toBe(kidOf(b.jwt));
    expect(a.payload.flx.jwk.kid).not.toBe(b.payload.flx.jwk.kid);
    expect(a.payload.flx.jwk.n).not.toBe(b.payload.flx.jwk.n);
  });

  it('carries the payload of API-FACTS §5.2', async () => {
    const { payload } = await t.session();
    expect(payload.exp - payload.iat).toBe(900);
    expect(payload.jti).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(payload.flx).toMatchObject({ path: '/flex/v2/tokens', origin: PUBLIC_URL });
    expect(payload.flx.jwk).toMatchObject({ kty: 'RSA', e: 'AQAB', use: 'enc' });
    expect(payload.flx.jwk.kid).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(Buffer.from(payload.flx.jwk.n, 'base64url').length).toBe(256);
    expect(payload.ctx[0]?.type).toBe('mf-2.0.0');
    expect(microformContext(payload)).toEqual({
      clientLibrary: PUBLIC_URL + MICROFORM_LIBRARY_PATH,
      clientLibraryIntegrity: expect.stringMatching(/^sha256-/),
      allowedCardNetworks: ['VISA', 'MASTERCARD'],
      targetOrigins: ['http://localhost:3000'],
      mfOrigin: PUBLIC_URL,
    });
  });

  it('puts the SRI hash of the served library in clientLibraryIntegrity', async () => {
    const { payload } = await t.session();
    const mf = microformContext(payload);
    const res = await t.publicFetch(MICROFORM_LIBRARY_PATH);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toBe((await microformLibrary()).body);
    const sri = `sha256-${createHash('sha256').update(body).digest('base64')}`;
    expect(mf?.clientLibraryIntegrity).toBe(sri);
  });

  it('keeps the one-time private key with the context', async () => {
    const { payload } = await t.session();
    const record = t.emulator.state.flex.contextByFlxKid(payload.flx.jwk.kid);
    expect(record?.jti).toBe(payload.jti);
    expect(record?.merchantId).toBe('testrest');
    expect(record?.privateKey.type).toBe('private');
    expect(record?.expiresAt.getTime()).toBe(payload.exp * 1000);
  });

  it.each([
    ['http://localhost:3000'],
    ['https://shop.example'],
    ['https://shop.example:8443'],
    ['http://localhost'],
  ])('accepts target origin %s', async (origin) => {
    const r = await t.call('/microform/v2/sessions', {
      body: { ...SESSION, targetOrigins: [origin] },
    });
    expect(r.status).toBe(201);
  });

  it.each([
    ['http on a host other than localhost', ['http://shop.example']],
    ['a wildcard', ['https://*.shop.example']],
    ['a path', ['https://shop.example/checkout']],
    ['a trailing slash', ['https://shop.example/']],
    ['an upper-case host', ['https://Shop.example']],
    ['a default port', ['https://shop.example:443']],
    ['a scheme other than http(s)', ['ftp://shop.example']],
    ['not a URL', ['shop.example']],
    ['more than nine origins', Array.from({ length: 10 }, (_, i) => `https://s${i}.example`)],
    ['no origin at all', []],
  ])('refuses targetOrigins with %s', async (_, targetOrigins) => {
    const r = await t.call('/microform/v2/sessions', { body: { ...SESSION, targetOrigins } });
    expect(r.status).toBe(400);
    const body = MicroformSessionErrorBody.parse(r.body);
    expect(body.reason).toBe('UNIFIEDPAYMENTS_VALIDATION_FIELDS');
    expect(body.correlationId).toBe(r.headers.get('v-c-correlation-id'));
    expect(body.details?.[0]?.location).toMatch(/^targetOrigins/);
  });

  it('accepts nine origins', async () => {
    const targetOrigins = Array.from({ length: 9 }, (_, i) => `https://s${i}.example`);
    expect(
      (await t.call('/microform/v2/sessions', { body: { ...SESSION, targetOrigins } })).status,
    ).toBe(201);
  });

  it('names the offending origin by index', async () => {
    const r = await t.call('/microform/v2/sessions', {
      body: { ...SESSION, targetOrigins: ['https://ok.example', 'http://bad.example'] },
    });
    expect(r.body.details).toEqual([
      { location: 'targetOrigins[1]', message: expect.stringContaining('https') },
    ]);
  });

  it.each([
    ['no card network for card payments', { allowedCardNetworks: [] }, 'allowedCardNetworks'],
    [
      'an undocumented network',
      { allowedCardNetworks: ['VISA', 'BITCOIN'] },
      'allowedCardNetworks[1]',
    ],
    [
      'a payment type other than CARD and CHECK',
      { allowedPaymentTypes: ['GOOGLEPAY'] },
      'allowedPaymentTypes[0]',
    ],
    ['an unknown client version', { clientVersion: 'v3' }, 'clientVersion'],
  ])('refuses %s', async (_, change, location) => {
    const r = await t.call('/microform/v2/sessions', { body: { ...SESSION, ...change } });
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('UNIFIEDPAYMENTS_VALIDATION_FIELDS');
    expect(r.body.details.map((d: { location: string }) => d.location)).toContain(location);
  });

  it('accepts a documented network it does not emulate (JAYWAN) and echoes it', async () => {
    const { payload } = await t.session({ ...SESSION, allowedCardNetworks: ['JAYWAN', 'VISA'] });
    expect(microformContext(payload)?.allowedCardNetworks).toEqual(['JAYWAN', 'VISA']);
  });

  it('accepts CHECK without card networks', async () => {
    const r = await t.call('/microform/v2/sessions', {
      body: {
        clientVersion: 'v2',
        targetOrigins: ['https://shop.example'],
        allowedPaymentTypes: ['CHECK'],
      },
    });
    expect(r.status).toBe(201);
  });

  it('answers a body that is not JSON with UNIFIEDPAYMENTS_VALIDATION_PARAMS', async () => {
    const r = await t.call('/microform/v2/sessions', { rawBody: '{"targetOrigins":' });
    expect(r.status).toBe(400);
    expect(r.body.reason).toBe('UNIFIEDPAYMENTS_VALIDATION_PARAMS');
  });

  it('requires CyberSource authentication', async () => {
    const r = await t.call('/microform/v2/sessions', { body: SESSION, auth: 'none' });
    expect(r.status).toBe(401);
  });
});

describe('GET /flex/v2/public-keys/{kid}', () => {
  it('answers 404 for an unknown kid', async () => {
    const res = await t.publicFetch('/flex/v2/public-keys/zz-unknown');
    expect(res.status).toBe(404);
  });
});
