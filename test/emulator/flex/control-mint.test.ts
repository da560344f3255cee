import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import { TokensErrorBody } from '../../../cybersource/microform-sessions/tokens.ts';
import { TransientTokenPayload } from '../../../cybersource/microform-sessions/transient-token.ts';
import { markAuthorized, redeemTransientToken } from '../../../emulator/flex/transient-tokens.ts';
import { flexEmulator, importRsa, VISA_CARD } from './flex-helpers.ts';

let clock = new Date('2026-03-01T12:00:00Z');
const t = flexEmulator({ now: () => clock });
const flex = () => t.emulator.state.flex;

describe('POST /__emulator/transient-tokens', () => {
  beforeEach(() => {
    t.emulator.state.reset();
    clock = new Date('2026-03-01T12:00:00Z');
  });

  it('mints what the tokens endpoint gives for the same card', async () => {
    const ctx = await t.session();
    const minted = await t.mint(ctx.jwt, VISA_CARD);
    expect(minted.status).toBe(201);
    const viaIframe = await t.postTokens(await t.jwe(ctx.jwt, VISA_CARD));
    const token: string = minted.json.transientToken;
    expect(decodeProtectedHeader(token)).toEqual(decodeProtectedHeader(viaIframe.text));
    const a = TransientTokenPayload.parse(decodeJwt(token));
    const b = TransientTokenPayload.parse(decodeJwt(viaIframe.text));
    expect({ ...a, jti: '' }).toEqual({ ...b, jti: '' });
    const key = await importRsa(ctx.payload.flx.jwk, 'RS256');
    await expect(jwtVerify(token, key, { currentDate: clock })).resolves.toBeDefined();
  });

  it('answers an invalid card with the tokens endpoint body', async () => {
    const ctx = await t.session();
    const r = await t.mint(ctx.jwt, { ...VISA_CARD, number: '4111111111111112' });
    expect(r.status).toBe(400);
    const body = TokensErrorBody.parse(r.json);
    expect(body.responseStatus.reason).toBe('VALIDATION_ERROR');
    expect(body.responseStatus.details).toEqual([
      { location: 'captureData.number', message: expect.any(String) },
    ]);
  });

  it('refuses a capture context it did not issue, or one that was tampered with', async () => {
    const ctx = await t.session();
    const [h, p, s] = ctx.jwt.split('.');
    const tampered = `${h}.${p}.${s?.slice(0, -4)}AAAA`;
    expect((await t.mint(tampered, VISA_CARD)).json.responseStatus.reason).toBe(
      'CAPTURE_CONTEXT_INVALID',
    );
    expect((await t.mint('a.b.c', VISA_CARD)).json.responseStatus.reason).toBe(
      'CAPTURE_CONTEXT_INVALID',
    );
  });

  it('refuses an expired capture context', async () => {
    const ctx = await t.session();
    clock = new Date(clock.getTime() + 901_000);
    const r = await t.mint(ctx.jwt, VISA_CARD);
    expect(r.status).toBe(400);
    expect(r.json.responseStatus.reason).toBe('CAPTURE_CONTEXT_EXPIRED');
  });

  it('answers a malformed request in the control API envelope', async () => {
    const r = await t.mint('', VISA_CARD);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('invalid_request');
  });
});

describe('redeeming a minted transient token', () => {
  beforeEach(() => {
    t.emulator.state.reset();
    clock = new Date('2026-03-01T12:00:00Z');
  });

  async function minted() {
    const ctx = await t.session();
    const r = await t.mint(ctx.jwt, VISA_CARD);
    return r.json.transientToken as string;
  }

  it('authorizes once', async () => {
    const token = await minted();
    const first = await redeemTransientToken(flex(), 'testrest', token, clock);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.record.card).toMatchObject({ number: VISA_CARD.number, types: ['001'] });
    expect(markAuthorized(first.record, 'pay-1')).toBe(true);
    expect(markAuthorized(first.record, 'pay-2')).toBe(false);
    expect(await redeemTransientToken(flex(), 'testrest', token, clock)).toEqual({
      ok: false,
      reason: 'used',
    });
  });

  it('is refused after 15 minutes', async () => {
    const token = await minted();
    const later = new Date(clock.getTime() + 900_000);
    expect(await redeemTransientToken(flex(), 'testrest', token, later)).toEqual({
      ok: false,
      reason: 'expired',
    });
    const justBefore = new Date(clock.getTime() + 899_000);
    expect((await redeemTransientToken(flex(), 'testrest', token, justBefore)).ok).toBe(true);
  });

  it('belongs to the merchant that created the capture context', async () => {
    const token = await minted();
    expect(await redeemTransientToken(flex(), 'someone-else', token, clock)).toEqual({
      ok: false,
      reason: 'wrongMerchant',
    });
  });
});
