/**
 * @module `/tms/v1/instrumentidentifiers`: what the client sends and what TMS answers
 * (API-FACTS §3.1–3.3; NODE `PostInstrumentIdentifierRequest`, `TmsEmbeddedInstrumentIdentifier*`).
 */
import { z } from 'zod';
import { Link, TmsErrorBody } from '../../envelopes.ts';
import {
  BillTo,
  ExpirationMonth,
  ExpirationYear,
  Metadata,
  MitProcessingInformation,
  RawCardNumber,
  SoftString,
  soft,
} from '../common.ts';

/** Billing address an instrument identifier may carry (NODE `TmsEmbeddedInstrumentIdentifierBillTo`). */
export const InstrumentIdentifierBillTo = BillTo.pick({
  address1: true,
  address2: true,
  locality: true,
  administrativeArea: true,
  postalCode: true,
  country: true,
});

/** `POST /tms/v1/instrumentidentifiers` with raw card data: the only way in (API-FACTS §3.4). */
export const CreateInstrumentIdentifierRequest = z.strictObject({
  card: z.strictObject({
    number: RawCardNumber,
    expirationMonth: ExpirationMonth.optional(),
    expirationYear: ExpirationYear.optional(),
    // sent to the issuer for network tokens, never stored (NODE TmsEmbeddedInstrumentIdentifierCard)
    securityCode: z
      .string()
      .regex(/^\d{3,4}$/, 'expected 3 or 4 digits')
      .optional(),
  }),
  billTo: InstrumentIdentifierBillTo.optional(),
  processingInformation: MitProcessingInformation.optional(),
});
export type CreateInstrumentIdentifierRequest = z.infer<typeof CreateInstrumentIdentifierRequest>;

/** `PATCH /tms/v1/instrumentidentifiers/{id}`: only the MIT previous transaction id changes. */
export const PatchInstrumentIdentifierRequest = z.strictObject({
  processingInformation: MitProcessingInformation,
});
export type PatchInstrumentIdentifierRequest = z.infer<typeof PatchInstrumentIdentifierRequest>;

/** An identifier as TMS documents it (API-FACTS §3.3): what the emulator answers with. */
export const InstrumentIdentifierBody = z.object({
  _links: z.object({ self: Link, paymentInstruments: Link.optional() }).optional(),
  id: z.string(),
  object: z.literal('instrumentIdentifier'),
  state: z.enum(['ACTIVE', 'CLOSED']),
  card: z
    .object({
      /** Always masked, e.g. `411111XXXXXX1111`. */
      number: z.string(),
      expirationMonth: z.string().optional(),
      expirationYear: z.string().optional(),
    })
    .optional(),
  billTo: z.record(z.string(), z.string()).optional(),
  issuer: z.object({ paymentAccountReference: z.string() }).optional(),
  processingInformation: z
    .object({
      authorizationOptions: z.object({
        initiator: z.object({
          merchantInitiatedTransaction: z.object({ previousTransactionId: z.string() }),
        }),
      }),
    })
    .optional(),
  metadata: Metadata.optional(),
});
export type InstrumentIdentifierBody = z.infer<typeof InstrumentIdentifierBody>;

/**
 * What a client reads of an identifier (common.ts): the id, and the rest fail-soft. SPEC2020's
 * GET and PATCH examples send `previousTransactionId` as a number (its POST example as a
 * string), so either is read, as text; `object` and `issuer` are not read at all.
 */
export const InstrumentIdentifier = z.looseObject({
  id: z.string().min(1),
  state: SoftString,
  card: soft(
    z.looseObject({
      /** Masked, e.g. `411111XXXXXX1111`. */
      number: SoftString,
      expirationMonth: SoftString,
      expirationYear: SoftString,
    }),
  ),
  processingInformation: soft(
    z.looseObject({
      authorizationOptions: z.looseObject({
        initiator: z.looseObject({
          merchantInitiatedTransaction: z.looseObject({
            previousTransactionId: z.union([
              z.string().min(1),
              z.number().int().min(0).transform(String),
            ]),
          }),
        }),
      }),
    }),
  ),
});
export type InstrumentIdentifier = z.infer<typeof InstrumentIdentifier>;

/** 409 on DELETE while payment instruments use the identifier (API-FACTS §3.2). */
export const InstrumentIdentifierDeletionConflict = TmsErrorBody.extend({
  _links: z.object({ paymentInstruments: Link }),
});
export type InstrumentIdentifierDeletionConflict = z.infer<
  typeof InstrumentIdentifierDeletionConflict
>;
