/**
 * @module 201 answer of `POST /pts/v2/payments` (API-FACTS §2.5–2.6; NODE `PtsV2PaymentsPost201Response.md`).
 *
 * Loose objects: the real service adds fields over time, and the stub must not break on them.
 */
import { z } from 'zod';
import { ErrorInformation, PtsLink } from './common.ts';

export const PaymentStatus = z.enum([
  'AUTHORIZED',
  'PARTIAL_AUTHORIZED',
  'AUTHORIZED_PENDING_REVIEW',
  'AUTHORIZED_RISK_DECLINED',
  'PENDING_AUTHENTICATION',
  'PENDING_REVIEW',
  'DECLINED',
  'INVALID_REQUEST',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

const Id = z.object({ id: z.string() });

export const PaymentResponse = z.looseObject({
  _links: z
    .looseObject({
      self: PtsLink.optional(),
      // The wire name is `authReversal`; the SDK model calls it `reversal` (API-FACTS §2.6).
      authReversal: PtsLink.optional(),
      capture: PtsLink.optional(),
      void: PtsLink.optional(),
    })
    .optional(),
  id: z.string(),
  status: PaymentStatus,
  submitTimeUtc: z.string(),
  reconciliationId: z.string().optional(),
  clientReferenceInformation: z.looseObject({ code: z.string().optional() }).optional(),
  errorInformation: ErrorInformation.optional(),
  orderInformation: z
    .looseObject({
      amountDetails: z
        .looseObject({
          totalAmount: z.string().optional(),
          authorizedAmount: z.string().optional(),
          currency: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
  paymentInformation: z
    .looseObject({
      card: z.looseObject({ type: z.string().optional() }).optional(),
      tokenizedCard: z.looseObject({ type: z.string().optional() }).optional(),
      customer: Id.optional(),
      paymentInstrument: Id.optional(),
      instrumentIdentifier: z
        .looseObject({ id: z.string(), state: z.string().optional() })
        .optional(),
    })
    .optional(),
  paymentAccountInformation: z
    .looseObject({ card: z.looseObject({ type: z.string().optional() }).optional() })
    .optional(),
  processorInformation: z
    .looseObject({
      approvalCode: z.string().optional(),
      responseCode: z.string().optional(),
      transactionId: z.string().optional(),
      networkTransactionId: z.string().optional(),
      paymentAccountReferenceNumber: z.string().optional(),
      avs: z
        .looseObject({ code: z.string().optional(), codeRaw: z.string().optional() })
        .optional(),
      cardVerification: z.looseObject({ resultCode: z.string().optional() }).optional(),
    })
    .optional(),
  tokenInformation: z
    .looseObject({
      instrumentidentifierNew: z.boolean().optional(),
      customer: Id.optional(),
      paymentInstrument: Id.optional(),
      shippingAddress: Id.optional(),
      instrumentIdentifier: z
        .looseObject({ id: z.string(), state: z.string().optional() })
        .optional(),
    })
    .optional(),
});
export type PaymentResponse = z.infer<typeof PaymentResponse>;
