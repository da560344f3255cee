/**
 * @module `POST /flex/v1/keys` request (API-FACTS §4; SPEC2020 `generatePublicKeyRequest`).
 */
import { z } from 'zod';

export const ENCRYPTION_TYPES = ['RsaOaep256', 'RsaOaep', 'None'] as const;
export type EncryptionType = (typeof ENCRYPTION_TYPES)[number];

export const FlexKeyRequest = z.object({
  encryptionType: z.enum(ENCRYPTION_TYPES),
  /** The merchant page's origin, e.g. "https://example.com" (SPEC2020). */
  targetOrigin: z.string().optional(),
});
export type FlexKeyRequest = z.infer<typeof FlexKeyRequest>;
