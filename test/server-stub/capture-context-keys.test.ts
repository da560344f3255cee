/**
 * The capture-context verifier keeps CyberSource's signing keys by kid, so a checkout's capture
 * context is verified without fetching the key again; the map holds a few kids, not one per kid
 * the upstream ever named.
 */
import { generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { CaptureContextVerifier } from '../../server-stub/checkout/capture-context.ts';
import { CyberSourceClient } from '../../server-stub/cybersource/client.ts';
import { createLogger } from '../../server-stub/logger.ts';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('CaptureContextVerifier key cache', () => {
  it('keeps at most 16 kids, the ones fetched last, and fetches a cached kid no more', async () => {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = await exportJWK(keys.publicKey);
    const fetched: string[] = [];
    const fetch = (async (url: string | URL | Request) => {
      fetched.push(String(url).split('/').pop() ?? '');
      return new Response(JSON.stringify({ ...jwk, use: 'sig' }), { status: 200 });
    }) as typeof globalThis.fetch;
    const client = new CyberSourceClient(
      {
        baseUrl: 'http://127.0.0.1:4010',
        merchantId: 'testrest',
        keyId: 'k',
        secretKey: 'c2VjcmV0',
        auth: 'jwt',
      },
      {
        fetch,
        now: () => NOW,
        sleep: async () => undefined,
        logger: createLogger({ level: 'silent' }),
      },
    );
    const verifier = new CaptureContextVerifier(client, () => NOW);
    const iat = Math.floor(NOW.getTime() / 1000);
    const signed = (kid: string) =>
      new SignJWT({ flx: {} })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuedAt(iat)
        .setExpirationTime(iat + 900)
        .sign(keys.privateKey);
    // Each verifies and then fails the payload's shape: the key is kept either way.
    const verify = async (kid: string) => verifier.verify(await signed(kid)).catch(() => undefined);

    for (let i = 0; i < 40; i++) await verify(`k${i}`);
    expect(fetched).toHaveLength(40);
    await verify('k39');
    await verify('k24');
    expect(fetched).toHaveLength(40);
    // The kid fetched longest ago went first; it is fetched again when it comes back.
    await verify('k0');
    expect(fetched).toHaveLength(41);
    expect(verifier.size).toBe(16);
  });
});
