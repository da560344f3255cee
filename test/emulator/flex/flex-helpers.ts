/**
 * Test helpers for the Flex / Microform suites: an in-process emulator, capture contexts,
 * and the JWE the Microform iframe would post to `/flex/v2/tokens`.
 */
import { CompactEncrypt, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import { CaptureContextPayload } from '../../../cybersource/microform-sessions/capture-context.ts';
import { createEmulator, type Emulator } from '../../../emulator/app.ts';
import { inProcessFetch } from '../../../emulator/in-process.ts';
import { cybersourceCaller } from '../../helpers/cybersource-request.ts';
import { testKeys } from '../../helpers/test-keys.ts';

export const PUBLIC_URL = 'http://localhost:4010';

export const SESSION = {
  clientVersion: 'v2',
  targetOrigins: ['http://localhost:3000'],
  allowedCardNetworks: ['VISA', 'MASTERCARD'],
  allowedPaymentTypes: ['CARD'],
};

export function flexEmulator(options: Parameters<typeof createEmulator>[0] = {}) {
  const emulator: Emulator = createEmulator({ keys: testKeys(), ...options });
  const fetchFn = inProcessFetch(emulator);
  const signed = cybersourceCaller(fetchFn, PUBLIC_URL);
  // Sign with the emulator's (possibly injected) clock, or the date check would refuse us.
  const call: typeof signed = (path, o = {}) => signed(path, { date: emulator.state.now(), ...o });
  const publicFetch = (path: string, init?: RequestInit) => fetchFn(PUBLIC_URL + path, init);

  async function session(body: unknown = SESSION) {
    const r = await call('/microform/v2/sessions', { body });
    if (r.status !== 201) throw new Error(`session: ${r.status} ${r.text}`);
    return {
      jwt: r.text,
      payload: CaptureContextPayload.parse(decodeJwt(r.text)),
      headers: r.headers,
    };
  }

  /** What the iframe sends: a compact JWE to `flx.jwk` of `{data, context, index}`. */
  async function jwe(
    context: string,
    data: Record<string, unknown>,
    header: Record<string, string> = {},
    /** The context put in the plaintext, when a test wants it to differ from the key's. */
    plaintextContext = context,
  ) {
    const { flx } = CaptureContextPayload.parse(decodeJwt(context));
    const key = await importRsa(flx.jwk, header.alg ?? 'RSA-OAEP-256');
    const plaintext = new TextEncoder().encode(
      JSON.stringify({ data, context: plaintextContext, index: 0 }),
    );
    return new CompactEncrypt(plaintext)
      .setProtectedHeader({ kid: flx.jwk.kid, alg: 'RSA-OAEP-256', enc: 'A256GCM', ...header })
      .encrypt(key);
  }

  async function postTokens(body: string, headers: Record<string, string> = {}) {
    const res = await publicFetch('/flex/v2/tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/jwt; charset=utf-8', ...headers },
      body,
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, headers: res.headers };
  }

  async function mint(captureContext: string, card: Record<string, string>) {
    const res = await publicFetch('/__emulator/transient-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ captureContext, card }),
    });
    return { status: res.status, json: (await res.json()) as any };
  }

  return { emulator, call, publicFetch, session, jwe, postTokens, mint };
}

export const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;

/** An RSA public JWK as a jose key for `alg`. */
export function importRsa(jwk: { n: string; e: string }, alg: string) {
  return importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, alg);
}

/** A card valid for years to come. */
export const VISA_CARD = {
  number: '4111111111111111',
  securityCode: '123',
  expirationMonth: '12',
  expirationYear: '2039',
};
