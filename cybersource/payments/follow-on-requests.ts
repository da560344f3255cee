/**
 * @module Bodies of captures, refunds, reversals, voids and the timeout variants (API-FACTS §2.6,
 * RELIABILITY-FACTS §3.6).
 */
import { z } from 'zod';
import {
  AmountDetails,
  AmountString,
  ClientReferenceInformation,
  TransactionId,
} from './common.ts';

/** Capture and refund: `orderInformation.amountDetails {totalAmount, currency}`, both required here. */
export const CaptureRequest = z.object({
  clientReferenceInformation: ClientReferenceInformation.optional(),
  orderInformation: z.object({ amountDetails: AmountDetails }),
});
export type CaptureRequest = z.infer<typeof CaptureRequest>;

export const RefundRequest = CaptureRequest;
export type RefundRequest = CaptureRequest;

/** Authorization reversal: the amount must equal the authorized amount (API-FACTS §2.6). */
export const ReversalRequest = z.object({
  clientReferenceInformation: ClientReferenceInformation.optional(),
  reversalInformation: z.object({
    reason: z.string().optional(),
    amountDetails: z.object({ totalAmount: AmountString, currency: z.string().optional() }),
  }),
});
export type ReversalRequest = z.infer<typeof ReversalRequest>;

/** Void: a body is required, `{}` when there is nothing to say (API-FACTS §2.1). */
export const VoidRequest = z.object({
  clientReferenceInformation: ClientReferenceInformation.optional(),
});
export type VoidRequest = z.infer<typeof VoidRequest>;

const WithTransactionId = ClientReferenceInformation.extend({ transactionId: TransactionId });

/**
 * `POST /pts/v2/reversals`: finds the authorization by its `transactionId`. The currency may be
 * left out [decision]: the sources disagree. The REST example sends it in
 * `reversalInformation.amountDetails` and the required-fields page lists it (as
 * `orderInformation.amountDetails.currency`, a field the SDK's reversal model does not have),
 * while CyberSource's own timeout-reversal samples, which it runs against the sandbox
 * (SAMPLES `Samples/Payments/Reversal/timeout-reversal.js`; the Python one logs
 * "[Sample Code Testing]"), send none. A client that sends it, as the stub does, works either way.
 */
export const TimeoutReversalRequest = ReversalRequest.extend({
  clientReferenceInformation: WithTransactionId,
});
export type TimeoutReversalRequest = z.infer<typeof TimeoutReversalRequest>;

/** `POST /pts/v2/voids`: finds the sale, capture or refund by its `transactionId`. */
export const TimeoutVoidRequest = z.object({ clientReferenceInformation: WithTransactionId });
export type TimeoutVoidRequest = z.infer<typeof TimeoutVoidRequest>;
