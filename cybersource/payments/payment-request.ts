/**
 * @module `POST /pts/v2/payments`: authorization, or sale with `capture:true` (API-FACTS §2.2–2.4).
 */
import { z } from 'zod';
import { PaymentBillTo, PaymentShipTo } from './address.ts';
import { AmountDetails, ClientReferenceInformation } from './common.ts';

export const ActionTokenType = z.enum([
  'customer',
  'paymentInstrument',
  'instrumentIdentifier',
  'shippingAddress',
]);

export const Action = z.enum([
  'TOKEN_CREATE',
  'DECISION_SKIP',
  'CONSUMER_AUTHENTICATION',
  'VALIDATE_CONSUMER_AUTHENTICATION',
  'AP_INITIATE',
  'WATCHLIST_SCREENING',
  'AP_SALE',
  'AP_AUTH',
  'AP_REAUTH',
]);

/** E-commerce indicators CyberSource documents for card payments; anything else is refused. */
export const CommerceIndicator = z.enum([
  'internet',
  'moto',
  'recurring',
  'recurring_internet',
  'install',
  'install_internet',
  'retail',
  'vbv',
  'vbv_attempted',
  'vbv_failure',
  'spa',
  'spa_failure',
  'aesk',
  'aesk_attempted',
  'js',
  'js_attempted',
  'js_failure',
  'pb',
  'pb_attempted',
  'dipb',
  'dipb_attempted',
  'up3ds',
  'up3ds_attempted',
  'up3ds_failure',
  'cs',
  'cs_attempted',
]);

const Digits = (min: number, max: number) => z.string().regex(new RegExp(`^\\d{${min},${max}}$`));

export const Card = z.object({
  number: Digits(12, 19).optional(),
  expirationMonth: z
    .string()
    .regex(/^(0[1-9]|1[0-2])$/)
    .optional(),
  expirationYear: z
    .string()
    .regex(/^(19|20)\d\d$/)
    .optional(),
  securityCode: Digits(3, 4).optional(),
  type: z
    .string()
    .regex(/^\d{3}$/)
    .optional(),
});

const IdRef = z.object({ id: z.string().min(1) });

/**
 * A yes/no field: CyberSource's own examples send some as strings (`"capture": "false"` in the
 * payments guide's instrument-identifier example, `"credentialStoredOnFile": "true"` in the
 * Mastercard subscription one) and are answered 201, so `"true"`/`"false"` read as booleans;
 * anything else is refused.
 */
const Flag = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);

export const Initiator = z.object({
  type: z.enum(['customer', 'merchant']).optional(),
  credentialStoredOnFile: Flag.optional(),
  storedCredentialUsed: Flag.optional(),
  merchantInitiatedTransaction: z
    .object({
      reason: z
        .string()
        .regex(/^([1-9]|10)$/)
        .optional(),
      previousTransactionId: z.string().min(1).optional(),
      originalAuthorizedAmount: z.string().optional(),
      agreementId: z.string().optional(),
    })
    .optional(),
});

export const PaymentRequest = z.object({
  clientReferenceInformation: ClientReferenceInformation.optional(),
  processingInformation: z
    .object({
      capture: Flag.optional(),
      commerceIndicator: CommerceIndicator.optional(),
      actionList: z.array(Action).optional(),
      actionTokenTypes: z.array(ActionTokenType).optional(),
      authorizationOptions: z
        .object({
          initiator: Initiator.optional(),
          partialAuthIndicator: Flag.optional(),
          ignoreAvsResult: Flag.optional(),
          ignoreCvResult: Flag.optional(),
          authIndicator: z.enum(['0', '1']).optional(),
        })
        .optional(),
      recurringOptions: z.object({ firstRecurringPayment: Flag.optional() }).optional(),
    })
    .optional(),
  paymentInformation: z
    .object({
      card: Card.optional(),
      customer: IdRef.optional(),
      paymentInstrument: IdRef.optional(),
      instrumentIdentifier: IdRef.optional(),
      shippingAddress: IdRef.optional(),
    })
    .optional(),
  tokenInformation: z
    .object({
      transientTokenJwt: z.string().min(1).optional(),
      networkTokenOption: z.enum(['ignore', 'prefer']).optional(),
      // Whether TOKEN_CREATE makes the new instrument / address the customer's default; absent
      // means false (NODE `Ptsv2paymentsTokenInformationPaymentInstrument.md`, "default to false").
      paymentInstrument: z.object({ default: Flag.optional() }).optional(),
      shippingAddress: z.object({ default: Flag.optional() }).optional(),
    })
    .optional(),
  orderInformation: z.object({
    amountDetails: AmountDetails,
    // Strict, unlike the rest of the request: these are vaulted by TOKEN_CREATE (address.ts).
    billTo: PaymentBillTo.optional(),
    shipTo: PaymentShipTo.optional(),
  }),
});
export type PaymentRequest = z.infer<typeof PaymentRequest>;
/** What a client builds (the stub); identical to the parsed form. */
export type PaymentRequestInput = z.input<typeof PaymentRequest>;
