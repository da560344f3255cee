/**
 * @module `POST /flex/v2/tokens`, called by the Microform iframe (API-FACTS §5.4): the
 * plaintext inside the browser's JWE, and the `responseStatus` error body the iframe maps to
 * MicroformError reasons.
 */
import { z } from 'zod';

/** Key management and content encryption of the JWE (issue 3; see emulator/flex/README.md). */
export const TOKENS_JWE_ALG = 'RSA-OAEP-256';
export const TOKENS_JWE_ENC = 'A256GCM';

export const CaptureData = z.object({
  number: z.string(),
  securityCode: z.string().optional(),
  expirationMonth: z.string().optional(),
  expirationYear: z.string().optional(),
  /** CyberSource card-type code the shopper's brand choice implies, e.g. "001". */
  type: z.string().optional(),
});
export type CaptureData = z.infer<typeof CaptureData>;

export const TokensPlaintext = z.object({
  data: CaptureData,
  /** The capture-context JWT, exactly as issued. */
  context: z.string().min(1),
  index: z.number().int().min(0),
});
export type TokensPlaintext = z.infer<typeof TokensPlaintext>;

/**
 * The first nine are the reasons the iframe knows (API-FACTS §5.4). The two capture-context
 * reasons are the emulator's choice for a context that is expired or not the one the JWE was
 * encrypted for; they reuse the names of the same API family (§5.1) so the library can pass
 * them through unchanged.
 */
export const TOKENS_ERROR_REASONS = [
  'VALIDATION_ERROR',
  'RESOURCE_QUOTA_EXCEEDED',
  'TOKENIZATION_ERROR',
  'DECRYPTION_ERROR',
  'SIGNATURE_ERROR',
  'PROFILE_ERROR',
  'API_GATEWAY_ERROR',
  'JSON_PARSER_ERROR',
  'INTERNAL_ERROR',
  'CAPTURE_CONTEXT_EXPIRED',
  'CAPTURE_CONTEXT_INVALID',
] as const;
export type TokensErrorReason = (typeof TOKENS_ERROR_REASONS)[number];

export const TokensErrorDetail = z.object({ location: z.string(), message: z.string() });
export type TokensErrorDetail = z.infer<typeof TokensErrorDetail>;

export const TokensErrorBody = z.object({
  responseStatus: z.object({
    status: z.number().int(),
    reason: z.enum(TOKENS_ERROR_REASONS),
    message: z.string(),
    correlationId: z.string(),
    details: z.array(TokensErrorDetail).optional(),
  }),
});
export type TokensErrorBody = z.infer<typeof TokensErrorBody>;
