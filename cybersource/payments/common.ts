/**
 * @module Pieces shared by every Payments (pts) and Transaction Search (tss) body.
 */
import { z } from 'zod';
import { AMOUNT_PATTERN, currencyDecimals, toMinorUnits } from './amount.ts';

/**
 * `clientReferenceInformation.transactionId` (≤ 64). The model types it a string, but the
 * official timeout samples (`timeout-void.js`, `timeout-reversal.js` and their authorizations)
 * send a JSON number, which a Java JSON reader takes as its digits. [Decision: a non-negative
 * integer is read as its decimal text, as the samples expect; nothing else is coerced.]
 */
export const TransactionId = z
  .union([z.string(), z.number().int().nonnegative().transform(String)])
  .pipe(z.string().min(1).max(64));

/** `clientReferenceInformation` (API-FACTS §2.2): `code` ≤ 59, `transactionId` for timeouts (RELIABILITY-FACTS §3.6). */
export const ClientReferenceInformation = z.object({
  code: z.string().min(1).max(59).optional(),
  transactionId: TransactionId.optional(),
  comments: z.string().optional(),
  // The official SDK adds this to every request (issue 2, compatibility).
  partner: z
    .object({
      developerId: z.string().optional(),
      solutionId: z.string().optional(),
      thirdPartyCertificationNumber: z.string().optional(),
    })
    .optional(),
});
export type ClientReferenceInformation = z.infer<typeof ClientReferenceInformation>;

export const Currency = z
  .string()
  .refine((c) => currencyDecimals(c) !== undefined, { message: 'not an ISO 4217 currency' });

export const AmountString = z.string().regex(AMOUNT_PATTERN);

/** `{totalAmount, currency}`, both required; the amount may not have more decimals than the currency. */
export const AmountDetails = z
  .object({ totalAmount: AmountString, currency: Currency })
  .superRefine((a, ctx) => {
    if (
      currencyDecimals(a.currency) !== undefined &&
      toMinorUnits(a.totalAmount, a.currency) === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['totalAmount'],
        message: 'too many decimals for the currency',
      });
    }
  });

/** A HAL link as payments answers carry it (API-FACTS §2.6). */
export const PtsLink = z.object({ href: z.string(), method: z.string().optional() });
export type PtsLink = z.infer<typeof PtsLink>;

/** 201 `errorInformation` of a declined or held payment (API-FACTS §2.5). */
/**
 * `reason` is what the stub acts on; `message` and each detail's parts are optional, as NODE's
 * models have them, so a decline without a message is still read as a decline rather than as an
 * answer we cannot parse (which would tell the shopper "outcome unknown").
 */
export const ErrorInformation = z.looseObject({
  reason: z.string(),
  message: z.string().optional(),
  details: z
    .array(z.looseObject({ field: z.string().optional(), reason: z.string().optional() }))
    .optional(),
});
