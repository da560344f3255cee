/**
 * @module `POST /flex/v1/keys` 200 response and error body (API-FACTS §4).
 */
import { z } from 'zod';

/** "valid for 15 minutes" (SPEC2020 `x-description`). */
export const FLEX_KEY_LIFETIME_SECONDS = 900;

export const FlexKeyResponse = z.object({
  keyId: z.string().min(1),
  der: z.object({
    format: z.literal('X.509'),
    algorithm: z.literal('RSA'),
    /** Base64 SubjectPublicKeyInfo. */
    publicKey: z.base64(),
  }),
  jwk: z.object({
    kty: z.literal('RSA'),
    use: z.literal('enc'),
    kid: z.string().min(1),
    n: z.string(),
    e: z.string(),
  }),
});
export type FlexKeyResponse = z.infer<typeof FlexKeyResponse>;

const Link = z.object({
  href: z.string(),
  title: z.string().optional(),
  method: z.string().optional(),
});

export const FlexKeyErrorBody = z.object({
  responseStatus: z.object({
    status: z.number(),
    reason: z.string(),
    message: z.string(),
    correlationId: z.string(),
    details: z.array(z.object({ location: z.string(), message: z.string() })).optional(),
  }),
  _links: z
    .object({
      self: Link.optional(),
      documentation: z.array(Link).optional(),
      next: z.array(Link).optional(),
    })
    .optional(),
});
export type FlexKeyErrorBody = z.infer<typeof FlexKeyErrorBody>;
