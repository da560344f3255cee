/**
 * Which transient tokens the stub accepts (API-FACTS §5.5): signed with the session's `flx.jwk`,
 * unexpired, with a v2 payload. The version is read loosely within v2, so a minor release of
 * Microform cannot refuse every payment; the signature is what proves a token.
 */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyTransientToken } from '../../server-stub/checkout/transient-token.ts';
import type { Jwk } from '../../server-stub/store/rows.ts';

const now = new Date('2026-03-01T12:00:00Z');
const card = {
  number: { detectedCardTypes: ['001'], maskedValue: 'XXXXXXXXXXXX1111' },
  expirationMonth: { value: '12' },
  expirationYear: { value: '2031' },
};
let flxJwk: Jwk;
let wrongKey: CryptoKey;
let sign: (type: string, key?: CryptoKey) => Promise<string>;

beforeAll(async () => {
  const session = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  flxJwk = { ...(await exportJWK(session.publicKey)), kid: 'k1' } as Jwk;
  sign = (type, key = session.privateKey) =>
    new SignJWT({ type, content: { paymentInformation: { card } } })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer('Flex/08')
      .setJti('jti-1')
      .setIssuedAt(now.getTime() / 1000)
      .setExpirationTime(now.getTime() / 1000 + 900)
      .sign(key);
  wrongKey = other.privateKey;
});

describe('verifyTransientToken', () => {
  it.each(['mf-2.0.0', 'mf-2.1.0', 'mf-2.0.12'])(
    'accepts a %s token signed for the session',
    async (type) => {
      const accepted = await verifyTransientToken(await sign(type), flxJwk, now);
      expect(accepted).toMatchObject({ jti: 'jti-1', card: { brand: 'visa', last4: '1111' } });
    },
  );

  it.each(['mf-0.11.0', 'mf-3.0.0', 'api-0.1.0', 'mf-2'])('refuses a %s token', async (type) => {
    await expect(verifyTransientToken(await sign(type), flxJwk, now)).rejects.toMatchObject({
      code: 'transient_token_invalid',
    });
  });

  it('refuses a v2 token signed with another key, and an expired one', async () => {
    await expect(
      verifyTransientToken(await sign('mf-2.0.0', wrongKey), flxJwk, now),
    ).rejects.toMatchObject({ code: 'transient_token_invalid' });
    const later = new Date(now.getTime() + 901_000);
    await expect(verifyTransientToken(await sign('mf-2.0.0'), flxJwk, later)).rejects.toMatchObject(
      { code: 'transient_token_expired' },
    );
  });
});
