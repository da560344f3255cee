/**
 * @module The capture-context JWT (`mf-2.0.0`) that `POST /microform/v2/sessions` returns
 * (API-FACTS §5.2): header, payload, and the Microform entry of `ctx[]`.
 *
 * Parse the payload only after its RS256 signature verified with the key from
 * `GET /flex/v2/public-keys/{kid}` (RELIABILITY-FACTS §3.1); these schemas check the shape.
 */
import { z } from 'zod';
import { RsaPublicJwk } from './public-key.ts';

export const CAPTURE_CONTEXT_ISSUER = 'Flex API';
/** "The capture context is valid for 15 minutes" (API-FACTS §5.2). */
export const CAPTURE_CONTEXT_LIFETIME_SECONDS = 900;
export const MICROFORM_CONTEXT_TYPE = 'mf-2.0.0';

export const CaptureContextHeader = z.object({
  kid: z.string().min(1),
  alg: z.enum(['RS256', 'RS384', 'RS512']),
});

/** `flx.jwk`: the one-time RSA encryption key; its private half signs transient tokens. */
export const FlxJwk = RsaPublicJwk.extend({ use: z.literal('enc'), kid: z.string().min(1) });
export type FlxJwk = z.infer<typeof FlxJwk>;

export const Flx = z.object({
  path: z.string().startsWith('/'),
  /** Opaque to every client. */
  data: z.string(),
  origin: z.url(),
  jwk: FlxJwk,
});

export const MicroformContextData = z.object({
  clientLibrary: z.url(),
  /** SRI value, `sha256-<base64>` (API-FACTS §5.3). */
  clientLibraryIntegrity: z.string().regex(/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/),
  allowedCardNetworks: z.array(z.string()),
  targetOrigins: z.array(z.string()).min(1),
  mfOrigin: z.url(),
});
export type MicroformContextData = z.infer<typeof MicroformContextData>;

/** `ctx[]` entries of other products (Unified Checkout…) may differ; only `mf-*` is parsed. */
export const ContextEntry = z.object({ type: z.string(), data: z.unknown() });

export const CaptureContextPayload = z.object({
  flx: Flx,
  ctx: z.array(ContextEntry).min(1),
  iss: z.string(),
  exp: z.number().int(),
  iat: z.number().int(),
  jti: z.string().min(1),
});
export type CaptureContextPayload = z.infer<typeof CaptureContextPayload>;

/**
 * The Microform data of a verified payload: the first `ctx[]` entry whose type starts with
 * `mf-`, as the Microform script picks it (API-FACTS §5.2).
 */
export function microformContext(payload: CaptureContextPayload): MicroformContextData | undefined {
  const entry = payload.ctx.find((c) => c.type.startsWith('mf-'));
  const parsed = MicroformContextData.safeParse(entry?.data);
  return parsed.success ? parsed.data : undefined;
}
