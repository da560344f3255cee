/**
 * @module Reading a capture context JWT in the browser (API-FACTS §5.2).
 *
 * Both the library and the field iframes read it: the first `ctx[]` entry whose `type`
 * matches `/^mf-/` is the Microform context (MF011 does the same). Reading is not trusting:
 * the iframe also verifies the signature (`internal/signature.ts`).
 */
import { isRecord, isString, isStringArray, type Json, recordAt, stringAt } from './guards.ts';

export interface FlxJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
}

export interface CaptureContext {
  /** The compact JWT as given. */
  jwt: string;
  header: { kid: string; alg: string };
  /** Where the browser posts the JWE (`flx.origin + flx.path`). */
  tokensUrl: string;
  jwk: FlxJwk;
  /** Index of the `mf-` entry in `ctx[]`; the JWE plaintext names it (`index`). */
  index: number;
  targetOrigins: string[];
  allowedCardNetworks: string[];
  /** Origin that serves the field iframes. */
  mfOrigin: string;
  iat: number;
  exp: number;
}

export type ReadResult = { ok: true; context: CaptureContext } | { ok: false };

function decodeSegment(segment: string): unknown {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

function readJwk(flx: Json): FlxJwk | undefined {
  const jwk = recordAt(flx, 'jwk');
  if (jwk?.kty !== 'RSA') return undefined;
  const n = stringAt(jwk, 'n');
  const e = stringAt(jwk, 'e');
  const kid = stringAt(jwk, 'kid');
  return n && e && kid ? { kty: 'RSA', n, e, kid } : undefined;
}

/** Parses without verifying; any missing piece makes the context invalid. */
export function readCaptureContext(jwt: unknown): ReadResult {
  if (!isString(jwt)) return { ok: false };
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[-\w]+$/.test(p))) return { ok: false };
  let header: unknown;
  let payload: unknown;
  try {
    header = decodeSegment(parts[0] ?? '');
    payload = decodeSegment(parts[1] ?? '');
  } catch {
    return { ok: false };
  }
  if (!isRecord(header) || !isRecord(payload)) return { ok: false };
  const kid = stringAt(header, 'kid');
  const alg = stringAt(header, 'alg');
  const flx = recordAt(payload, 'flx');
  const ctx = payload.ctx;
  if (!kid || !alg || !flx || !Array.isArray(ctx)) return { ok: false };

  const index = ctx.findIndex((c) => isRecord(c) && isString(c.type) && /^mf-/.test(c.type));
  const entry: unknown = ctx[index];
  const data = isRecord(entry) ? recordAt(entry, 'data') : undefined;
  const jwk = readJwk(flx);
  const flxOrigin = originOf(stringAt(flx, 'origin') ?? '');
  const path = stringAt(flx, 'path');
  if (!data || !jwk || !flxOrigin || !path?.startsWith('/')) return { ok: false };

  const targetOrigins = data.targetOrigins;
  const allowedCardNetworks = data.allowedCardNetworks;
  const mfOrigin = originOf(stringAt(data, 'mfOrigin') ?? flxOrigin);
  const { iat, exp } = payload;
  if (
    !isStringArray(targetOrigins) ||
    !isStringArray(allowedCardNetworks) ||
    !mfOrigin ||
    typeof iat !== 'number' ||
    typeof exp !== 'number'
  ) {
    return { ok: false };
  }
  return {
    ok: true,
    context: {
      jwt,
      header: { kid, alg },
      tokensUrl: flxOrigin + path,
      jwk,
      index,
      targetOrigins,
      allowedCardNetworks,
      mfOrigin,
      iat,
      exp,
    },
  };
}

/** Whether `exp` (seconds) has passed at `nowMs`. */
export function isExpired(context: CaptureContext, nowMs: number): boolean {
  return context.exp * 1000 <= nowMs;
}
