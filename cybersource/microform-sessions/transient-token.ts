/**
 * @module The Microform v2 transient-token JWT, `mf-2.0.0` (API-FACTS §5.5).
 *
 * RS256, header `{kid, alg}`; verify it with the capture context's `flx.jwk`, and check the
 * claims too (RELIABILITY-FACTS §3.4). Lives 15 minutes.
 */
import { z } from 'zod';

export const TRANSIENT_TOKEN_ISSUER = 'Flex/08';
/** What Microform v2 mints today (API-FACTS §5.5), and what the emulator mints. */
export const TRANSIENT_TOKEN_TYPE = 'mf-2.0.0';
/**
 * Any v2 token is read: the signature (the session's `flx.jwk`) is what proves it, and the
 * payload below is v2's. A newer minor or patch version, should CyberSource ship one, must not
 * refuse every payment; `mf-0.11.0` tokens (a different payload) are still refused. [Decision]
 */
const V2_TYPE = /^mf-2\.\d+\.\d+$/;
export const TRANSIENT_TOKEN_LIFETIME_SECONDS = 900;

export const TransientTokenHeader = z.object({ kid: z.string().min(1), alg: z.literal('RS256') });

const Value = z.object({ value: z.string() });

export const TransientTokenCard = z.object({
  number: z.object({
    /** CyberSource card-type codes, e.g. ["001"]; a co-badged card lists several. */
    detectedCardTypes: z.array(z.string().regex(/^\d{3}$/)),
    /** Every digit but the last four replaced by X, e.g. "XXXXXXXXXXXX1111". */
    maskedValue: z.string().regex(/^X+\d{4}$/),
    /** 6 or 8 digits, or absent when the session asked for no prefix (API-FACTS §5.1). */
    bin: z
      .string()
      .regex(/^(\d{6}|\d{8})$/)
      .optional(),
  }),
  /** Present, and empty, only when a security code was captured. */
  securityCode: z.object({}).optional(),
  expirationMonth: Value.optional(),
  expirationYear: Value.optional(),
});

export const TransientTokenPayload = z.object({
  iss: z.string(),
  exp: z.number().int(),
  type: z.string().regex(V2_TYPE),
  iat: z.number().int(),
  jti: z.string().min(1),
  content: z.object({ paymentInformation: z.object({ card: TransientTokenCard }) }),
});
export type TransientTokenPayload = z.infer<typeof TransientTokenPayload>;
