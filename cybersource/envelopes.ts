/**
 * @module Error envelopes CyberSource answers with, one shape per API family.
 *
 * Written once here so the emulator produces and the stub parses the same field names
 * (API-FACTS §1.4, §2.7, §3.2, §4, §5.1).
 */
import { z } from 'zod';

/** 401 for any authentication failure (API-FACTS §1.4). */
export const AuthFailedBody = z.object({
  response: z.object({ rmsg: z.union([z.string(), z.record(z.string(), z.string())]) }),
});
export const AUTH_FAILED_BODY = { response: { rmsg: 'Authentication Failed' } } as const;

export const FieldDetail = z.object({ field: z.string(), reason: z.string() });

/**
 * Payments 400 / 502 (API-FACTS §2.7), as read: `status` and each detail's `field` and `reason`
 * are optional in the SDK's models (NODE `PtsV2PaymentsPost400Response.md`,
 * `PtsV2PaymentsPost201ResponseErrorInformationDetails.md`), and one missing must not lose the
 * rest of the answer.
 */
export const PtsErrorBody = z.object({
  submitTimeUtc: z.string().optional(),
  status: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  details: z
    .array(z.object({ field: z.string().optional(), reason: z.string().optional() }))
    .optional(),
  id: z.string().optional(),
});
export type PtsErrorBody = z.infer<typeof PtsErrorBody>;

/** TMS errors (API-FACTS §3.2). */
export const TmsErrorBody = z.object({
  errors: z.array(
    z.object({
      type: z.string(),
      message: z.string(),
      details: z.array(z.object({ name: z.string(), location: z.string().optional() })).optional(),
    }),
  ),
});
export type TmsErrorBody = z.infer<typeof TmsErrorBody>;

/** Flex API errors (API-FACTS §4 and §5.4 tokens endpoint). */
export const FlexErrorBody = z.object({
  responseStatus: z.object({
    status: z.number().optional(),
    reason: z.string(),
    message: z.string(),
    correlationId: z.string().optional(),
    details: z.array(z.object({ location: z.string(), message: z.string() })).optional(),
  }),
});
export type FlexErrorBody = z.infer<typeof FlexErrorBody>;

/** Microform sessions 400 (API-FACTS §5.1, NODE `InlineResponse4001.md`). */
export const MicroformSessionErrorBody = z.object({
  correlationId: z.string().optional(),
  details: z.array(z.object({ location: z.string(), message: z.string() })).optional(),
  informationLink: z.string().optional(),
  message: z.string(),
  reason: z.string(),
});
export type MicroformSessionErrorBody = z.infer<typeof MicroformSessionErrorBody>;

/** A HAL link as CyberSource writes it. */
export const Link = z.object({ href: z.string(), method: z.string().optional() });
