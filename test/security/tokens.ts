/**
 * Forging JWTs for the security suites: re-signing with another key, editing a signed payload,
 * `alg:none`, HS256 keyed with the public key, and reaching into the emulator for a capture
 * context's genuine one-time key (to sign tokens CyberSource never minted).
 */
import { createPublicKey, type KeyObject, sign } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import type { Emulator } from '../../emulator/app.ts';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export const parts = (jwt: string) => {
  const [h = '', p = '', s = ''] = jwt.split('.');
  return { h, p, s };
};

/** The header and payload of `jwt`, re-encoded unsigned-style with the given header. */
export function unsigned(
  header: Record<string, unknown>,
  payload: unknown,
  signature = '',
): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}

/** `jwt` with its payload edited and its original signature kept. */
export function editPayload(jwt: string, edit: (p: Record<string, unknown>) => void): string {
  const payload = decodeJwt(jwt) as Record<string, unknown>;
  edit(payload);
  const { h, s } = parts(jwt);
  return `${h}.${b64url(payload)}.${s}`;
}

let attacker: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey }> | undefined;
/** One RSA key pair per test file, the attacker's. */
export const attackerKey = () => {
  attacker ??= generateKeyPair('RS256', { modulusLength: 2048 });
  return attacker;
};

/** The same header and payload, signed by someone else's RSA key. */
export async function resign(
  jwt: string,
  headerExtra: Record<string, unknown> = {},
  edit: (p: Record<string, unknown>) => void = () => undefined,
): Promise<string> {
  const header = decodeProtectedHeader(jwt);
  const payload = decodeJwt(jwt) as Record<string, unknown>;
  edit(payload);
  const { privateKey } = await attackerKey();
  return new SignJWT(payload)
    .setProtectedHeader({ ...header, alg: 'RS256', ...headerExtra })
    .sign(privateKey);
}

/** HS256 with the verifier's RSA public key (as PEM, as JWK JSON, as raw n) for the secret. */
export async function hs256WithPublicKey(jwt: string, publicKey: KeyObject): Promise<string[]> {
  const header = decodeProtectedHeader(jwt);
  const payload = decodeJwt(jwt);
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const jwk = publicKey.export({ format: 'jwk' });
  const secrets = [pem, JSON.stringify(jwk), String(jwk.n)].map((s) => new TextEncoder().encode(s));
  return Promise.all(
    secrets.map((secret) =>
      new SignJWT(payload).setProtectedHeader({ ...header, alg: 'HS256' }).sign(secret),
    ),
  );
}

/** What the emulator keeps for the capture context `jwt`: its genuine one-time key pair. */
export function captureContextKeys(emulator: Emulator, jwt: string) {
  for (const record of emulator.state.flex.captureContexts.values()) {
    if (record.jwt === jwt) {
      return {
        kid: record.flxKid,
        privateKey: record.privateKey,
        publicKey: createPublicKey(record.privateKey),
      };
    }
  }
  throw new Error('capture context unknown to the emulator');
}

/** A token CyberSource never minted, signed with the context's genuine key and any alg. */
export async function signWithContextKey(
  emulator: Emulator,
  captureContext: string,
  payload: Record<string, unknown>,
  alg = 'RS256',
  headerExtra: Record<string, unknown> = {},
): Promise<string> {
  const { kid, privateKey } = captureContextKeys(emulator, captureContext);
  return new SignJWT(payload).setProtectedHeader({ kid, alg, ...headerExtra }).sign(privateKey);
}

/** RS256 by hand, for headers jose refuses to sign (an unknown `crit` extension). */
export function signRaw(
  header: Record<string, unknown>,
  payload: unknown,
  privateKey: KeyObject,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}
