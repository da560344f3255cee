/**
 * @module `POST /microform/v2/sessions` request body (API-FACTS §5.1).
 *
 * The stub builds it, the emulator validates it. Stricter than the SDK model, which marks
 * every field optional: `targetOrigins` is required (a capture context without one can never
 * load), `clientVersion` when present must be one CyberSource has shipped, and card acceptance
 * needs at least one network (the docs' "Important" note).
 */
import { z } from 'zod';
import { DOCUMENTED_CARD_NETWORKS, PAYMENT_TYPES } from './networks.ts';
import { MAX_TARGET_ORIGINS, targetOriginProblem } from './target-origins.ts';

/** "v2" in the official sample; third-party code sends "v2.0" (API-FACTS §5.1). */
export const CLIENT_VERSIONS = ['v2', 'v2.0'] as const;

const TargetOrigin = z.string().superRefine((value, ctx) => {
  const problem = targetOriginProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

export const TransientTokenResponseOptions = z.object({
  /** Absent → 6-digit bin; true → 8 digits; false → no bin (API-FACTS §5.1). */
  includeCardPrefix: z.boolean().optional(),
});

export const SessionsRequest = z
  .object({
    clientVersion: z.enum(CLIENT_VERSIONS).optional(),
    targetOrigins: z.array(TargetOrigin).min(1).max(MAX_TARGET_ORIGINS),
    allowedCardNetworks: z.array(z.enum(DOCUMENTED_CARD_NETWORKS)).optional(),
    /** Defaults to CARD (RELIABILITY-FACTS §3.1). */
    allowedPaymentTypes: z.array(z.enum(PAYMENT_TYPES)).min(1).optional(),
    transientTokenResponseOptions: TransientTokenResponseOptions.optional(),
  })
  .superRefine((request, ctx) => {
    const types = request.allowedPaymentTypes ?? ['CARD'];
    if (types.includes('CARD') && (request.allowedCardNetworks ?? []).length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['allowedCardNetworks'],
        message: 'At least one card network is required when accepting cards',
      });
    }
  });
export type SessionsRequest = z.infer<typeof SessionsRequest>;
