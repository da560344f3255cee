import { decodeJwt, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { TokensErrorBody } from '../../../cybersource/microform-sessions/tokens.ts';
import { TransientTokenPayload } from '../../../cybersource/microform-sessions/transient-token.ts';
import { TOKENS_PER_CAPTURE_CONTEXT } from '../../../emulator/flex/tokenize.ts';
import { flexEmulator, importRsa, PUBLIC_URL, SESSION, VISA_CARD } from './flex-helpers.ts';

let clock = new Date('2026-03-01T12:00:00Z');
const t = flexEmulator({ now: () => clock });

/** A fresh context and the tokens-endpoint answer for `data` posted through it. */
async function tokenizeWith(data: Record<string, unknown>, session: unknown = SESSION) {
  const ctx = await t.session(session);
  const r = await t.postTokens(await t.jwe(ctx.jwt, data));
  return { ctx, ...r };
}

function locations(body: unknown): string[] {
  return (TokensErrorBody.parse(body).responseStatus.details ?? []).map((d) => d.location);
}

describe('POST /flex/v2/tokens', () => {
  beforeEach(() => {
    t.emulator.state.reset();
    clock = new Date('2026-03-01T12:00:00Z');
  });

  it('answers 201 with a transient token that verifies with flx.jwk', async () => {
    const { ctx, status, text, headers } = await tokenizeWith(VISA_CARD);
    expect(status).toBe(201);
    expect(headers.get('content-type')).toMatch(/^application\/jwt/);
    const key = await importRsa(ctx.payload.flx.jwk, 'RS256');
    const { payload, protectedHeader } = await jwtVerify(text, key, { currentDate: clock });
    expect(protectedHeader).toEqual({ kid: ctx.payload.flx.jwk.kid, alg: 'RS256' });
    const token = TransientTokenPayload.parse(payload);
    expect(token.iss).toBe('Flex/08');
    expect(token.iat).toBe(clock.getTime() / 1000);
    expect(token.exp - token.iat).toBe(900);
    expect(token.jti).toMatch(/^[A-Z0-9]{64}$/);
    expect(token.content.paymentInformation.card).toEqual({
      number: { detectedCardTypes: ['001'], maskedValue: 'XXXXXXXXXXXX1111', bin: '411111' },
      securityCode: {},
      expirationMonth: { value: '12' },
      expirationYear: { value: '2039' },
    });
  });

  it('keeps the card server-side for the payments endpoint', async () => {
    const { ctx, text } = await tokenizeWith(VISA_CARD);
    const jti = decodeJwt(text).jti;
    const record =
      typeof jti === 'string' ? t.emulator.state.flex.transientTokens.get(jti) : undefined;
    expect(record).toMatchObject({
      merchantId: 'testrest',
      captureContextJti: ctx.payload.jti,
      card: { ...VISA_CARD, types: ['001'] },
    });
    expect(record && record.expiresAt.getTime() - record.issuedAt.getTime()).toBe(900_000);
  });

  it('leaves securityCode out of the token when none was captured', async () => {
    const { number, expirationMonth, expirationYear } = VISA_CARD;
    const { text } = await tokenizeWith({ number, expirationMonth, expirationYear });
    const token = TransientTokenPayload.parse(decodeJwt(text));
    expect(token.content.paymentInformation.card.securityCode).toBeUndefined();
  });

  it.each([
    [undefined, '555555'],
    [true, '55555555'],
    [false, undefined],
  ])('gives the bin for includeCardPrefix %s', async (includeCardPrefix, bin) => {
    const session = {
      ...SESSION,
      ...(includeCardPrefix === undefined
        ? {}
        : { transientTokenResponseOptions: { includeCardPrefix } }),
    };
    const { text } = await tokenizeWith({ ...VISA_CARD, number: '5555555555554444' }, session);
    const { number } = TransientTokenPayload.parse(decodeJwt(text)).content.paymentInformation.card;
    expect(number.bin).toBe(bin);
    expect(number.detectedCardTypes).toEqual(['002']);
    expect(number.maskedValue).toBe('XXXXXXXXXXXX4444');
  });

  it('keeps a 6-digit bin for a 15-digit Amex even with includeCardPrefix true', async () => {
    const session = {
      ...SESSION,
      allowedCardNetworks: ['AMEX'],
      transientTokenResponseOptions: { includeCardPrefix: true },
    };
    const { text } = await tokenizeWith(
      { ...VISA_CARD, number: '378282246310005', securityCode: '1234' },
      session,
    );
    const { number } = TransientTokenPayload.parse(decodeJwt(text)).content.paymentInformation.card;
    expect(number).toEqual({
      detectedCardTypes: ['003'],
      maskedValue: 'XXXXXXXXXXX0005',
      bin: '378282',
    });
  });

  it.each([
    ['a bad Luhn check digit', { number: '4111111111111112' }, 'captureData.number'],
    [
      'a network outside allowedCardNetworks (Amex)',
      { number: '378282246310005', securityCode: '1234' },
      'captureData.number',
    ],
    ['a number of no network', { number: '9999999999999995' }, 'captureData.number'],
    ['a formatted number', { number: '4111 1111 1111 1111' }, 'captureData.number'],
    ['a past expiry year', { expirationYear: '2025' }, 'captureData.expirationYear'],
    [
      'a past expiry month this year',
      { expirationMonth: '02', expirationYear: '2026' },
      'captureData.expirationMonth',
    ],
    ['a malformed month', { expirationMonth: '13' }, 'captureData.expirationMonth'],
    ['a two-digit year', { expirationYear: '39' }, 'captureData.expirationYear'],
    ['a 4-digit CVV on Visa', { securityCode: '1234' }, 'captureData.securityCode'],
    ['a non-numeric CVV', { securityCode: '12a' }, 'captureData.securityCode'],
    ['a card type that does not match the number', { type: '002' }, 'captureData.type'],
  ])('refuses %s with VALIDATION_ERROR at its location', async (_, change, location) => {
    const { status, json } = await tokenizeWith({ ...VISA_CARD, ...change });
    expect(status).toBe(400);
    expect(json.responseStatus).toMatchObject({ status: 400, reason: 'VALIDATION_ERROR' });
    expect(locations(json)).toEqual([location]);
  });

  it('accepts the current month as expiry', async () => {
    const { status } = await tokenizeWith({
      ...VISA_CARD,
      expirationMonth: '03',
      expirationYear: '2026',
    });
    expect(status).toBe(201);
  });

  it('requires the expiry and reports every failing field at once', async () => {
    const { json } = await tokenizeWith({ number: '4111111111111112', securityCode: '1' });
    expect(locations(json).sort()).toEqual([
      'captureData.expirationMonth',
      'captureData.expirationYear',
      'captureData.number',
      'captureData.securityCode',
    ]);
  });

  it('refuses a capture context that has expired', async () => {
    const ctx = await t.session();
    const body = await t.jwe(ctx.jwt, VISA_CARD);
    clock = new Date(clock.getTime() + 900_000);
    const r = await t.postTokens(body);
    expect(r.status).toBe(400);
    expect(r.json.responseStatus.reason).toBe('CAPTURE_CONTEXT_EXPIRED');
  });

  it('still tokenizes one second before the context expires', async () => {
    const ctx = await t.session();
    clock = new Date(clock.getTime() + 899_000);
    expect((await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD))).status).toBe(201);
  });

  it('answers DECRYPTION_ERROR for a kid it never issued', async () => {
    const ctx = await t.session();
    const r = await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD, { kid: 'A'.repeat(32) }));
    expect(r.status).toBe(400);
    expect(r.json.responseStatus.reason).toBe('DECRYPTION_ERROR');
  });

  it('answers DECRYPTION_ERROR when the JWE was encrypted to another context key', async () => {
    const a = await t.session();
    const b = await t.session();
    const r = await t.postTokens(await t.jwe(a.jwt, VISA_CARD, { kid: b.payload.flx.jwk.kid }));
    expect(r.json.responseStatus.reason).toBe('DECRYPTION_ERROR');
  });

  it('refuses a context inside the JWE other than the one its key belongs to', async () => {
    const a = await t.session();
    const b = await t.session();
    const forged = await t.jwe(a.jwt, VISA_CARD, {}, b.jwt);
    const r = await t.postTokens(forged);
    expect(r.json.responseStatus.reason).toBe('CAPTURE_CONTEXT_INVALID');
  });

  it('refuses key management other than RSA-OAEP-256', async () => {
    const ctx = await t.session();
    const r = await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD, { alg: 'RSA-OAEP' }));
    expect(r.json.responseStatus.reason).toBe('DECRYPTION_ERROR');
  });

  it('refuses a body that is not a JWE, and a content type other than application/jwt', async () => {
    expect((await t.postTokens('not-a-jwe')).json.responseStatus.reason).toBe('JSON_PARSER_ERROR');
    const ctx = await t.session();
    const r = await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD), {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(400);
    expect(r.json.responseStatus.reason).toBe('JSON_PARSER_ERROR');
  });

  it(`allows ${TOKENS_PER_CAPTURE_CONTEXT} attempts per capture context, failed ones included`, async () => {
    const ctx = await t.session();
    const bad = await t.jwe(ctx.jwt, { ...VISA_CARD, number: '4111111111111112' });
    for (let i = 0; i < TOKENS_PER_CAPTURE_CONTEXT - 1; i++) {
      expect((await t.postTokens(bad)).json.responseStatus.reason).toBe('VALIDATION_ERROR');
    }
    expect((await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD))).status).toBe(201);
    const over = await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD));
    expect(over.status).toBe(400);
    expect(over.json.responseStatus.reason).toBe('RESOURCE_QUOTA_EXCEEDED');
  });

  it('lets the emulator iframe origin through CORS and refuses other origins', async () => {
    const ctx = await t.session();
    const body = await t.jwe(ctx.jwt, VISA_CARD);
    const own = await t.postTokens(body, { origin: PUBLIC_URL });
    expect(own.status).toBe(201);
    expect(own.headers.get('access-control-allow-origin')).toBe(PUBLIC_URL);
    const merchant = await t.postTokens(body, { origin: 'http://localhost:3000' });
    expect(merchant.status).toBe(403);
    expect(merchant.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await t.publicFetch('/flex/v2/tokens', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('needs no CyberSource authentication', async () => {
    const { status } = await tokenizeWith(VISA_CARD);
    expect(status).toBe(201);
    expect(t.emulator.state.authFailures).toEqual([]);
  });
});
