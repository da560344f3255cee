/**
 * @module 201 answers of captures, refunds, reversals and voids (API-FACTS §2.5–2.6).
 */
import { z } from 'zod';
import { ErrorInformation, PtsLink } from './common.ts';

const Base = {
  id: z.string(),
  submitTimeUtc: z.string(),
  reconciliationId: z.string().optional(),
  clientReferenceInformation: z.looseObject({ code: z.string().optional() }).optional(),
  errorInformation: ErrorInformation.optional(),
};

const Links = z.looseObject({
  self: PtsLink.optional(),
  void: PtsLink.optional(),
  refund: PtsLink.optional(),
});

export const CaptureResponse = z.looseObject({
  ...Base,
  _links: Links.optional(),
  status: z.enum(['PENDING', 'TRANSMITTED']),
  orderInformation: z
    .looseObject({
      amountDetails: z.looseObject({
        totalAmount: z.string().optional(),
        currency: z.string().optional(),
      }),
    })
    .optional(),
});
export type CaptureResponse = z.infer<typeof CaptureResponse>;

export const RefundResponse = z.looseObject({
  ...Base,
  _links: Links.optional(),
  status: z.enum(['PENDING', 'DECLINED', 'INVALID_REQUEST']),
  refundAmountDetails: z
    .looseObject({ refundAmount: z.string().optional(), currency: z.string().optional() })
    .optional(),
});
export type RefundResponse = z.infer<typeof RefundResponse>;

export const ReversalResponse = z.looseObject({
  ...Base,
  _links: Links.optional(),
  status: z.literal('REVERSED'),
  reversalAmountDetails: z
    .looseObject({
      reversedAmount: z.string().optional(),
      originalTransactionAmount: z.string().optional(),
      currency: z.string().optional(),
    })
    .optional(),
  processorInformation: z.looseObject({ responseCode: z.string().optional() }).optional(),
});
export type ReversalResponse = z.infer<typeof ReversalResponse>;

export const VoidResponse = z.looseObject({
  ...Base,
  _links: Links.optional(),
  status: z.enum(['VOIDED', 'CANCELLED', 'FAILED']),
  voidAmountDetails: z
    .looseObject({
      voidAmount: z.string().optional(),
      originalTransactionAmount: z.string().optional(),
      currency: z.string().optional(),
    })
    .optional(),
});
export type VoidResponse = z.infer<typeof VoidResponse>;
