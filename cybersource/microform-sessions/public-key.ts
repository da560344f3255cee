/**
 * @module `GET /flex/v2/public-keys/{kid}` (no authentication): the raw RSA JWK that verifies
 * capture contexts (API-FACTS §5.2). The official SDK requires `kty:"RSA"`, `n` and `e` and
 * ignores the rest (NODE `src/utilities/capturecontext/PublicKeyApiController.js`).
 */
import { z } from 'zod';

export const RsaPublicJwk = z.object({
  kty: z.literal('RSA'),
  n: z.string().regex(/^[A-Za-z0-9_-]+$/),
  e: z.string().regex(/^[A-Za-z0-9_-]+$/),
  kid: z.string().optional(),
  use: z.string().optional(),
  alg: z.string().optional(),
});
export type RsaPublicJwk = z.infer<typeof RsaPublicJwk>;

export const PublicKeyResponse = RsaPublicJwk;
export type PublicKeyResponse = z.infer<typeof PublicKeyResponse>;
