/**
 * @module Payment instruments: the stand-alone `/tms/v1/paymentinstruments` requests and the
 * instrument and list shapes that v1 and the v2 customer endpoints both answer with
 * (API-FACTS §3.2–3.3; NODE `PostPaymentInstrumentRequest`, `PaymentInstrumentList1`).
 */
import { z } from 'zod';
import { Link } from '../../envelopes.ts';
import {
  BillTo,
  CardTypeCode,
  ExpirationMonth,
  ExpirationYear,
  Metadata,
  PageLinks,
  RawCardNumber,
} from '../common.ts';
import { InstrumentIdentifier } from '../instrument-identifiers/schemas.ts';

/**
 * `card` of a payment instrument: no number, the identifier holds it (API-FACTS §3.3). Maestro UK
 * `issueNumber`/`startMonth`/`startYear` are not emulated.
 */
export const PaymentInstrumentCard = z.strictObject({
  expirationMonth: ExpirationMonth.optional(),
  expirationYear: ExpirationYear.optional(),
  // SPEC2020 marks `type` required on a card payment instrument
  type: CardTypeCode,
});
export type PaymentInstrumentCard = z.infer<typeof PaymentInstrumentCard>;

/** NODE `DefaultPaymentInstrumentBuyerInformation` (personal identification not emulated). */
export const BuyerInformation = z.strictObject({
  companyTaxID: z.string().min(1).max(9).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code')
    .optional(),
  dateOfBirth: z.iso.date().optional(),
});
export type BuyerInformation = z.infer<typeof BuyerInformation>;

/** `POST /tms/v1/paymentinstruments`: exactly one of `instrumentIdentifier.id` or `.card` (§3.2). */
export const CreatePaymentInstrumentRequest = z.strictObject({
  card: PaymentInstrumentCard,
  billTo: BillTo.optional(),
  buyerInformation: BuyerInformation.optional(),
  instrumentIdentifier: z.strictObject({
    id: z.string().min(1).optional(),
    card: z.strictObject({ number: RawCardNumber }).optional(),
  }),
});
export type CreatePaymentInstrumentRequest = z.infer<typeof CreatePaymentInstrumentRequest>;

/** `PATCH /tms/v1/paymentinstruments/{id}`: any field of the create body, merged. */
export const PatchPaymentInstrumentRequest = z.strictObject({
  card: PaymentInstrumentCard.partial().optional(),
  billTo: BillTo.optional(),
  buyerInformation: BuyerInformation.optional(),
  instrumentIdentifier: z.strictObject({ id: z.string().min(1) }).optional(),
});
export type PatchPaymentInstrumentRequest = z.infer<typeof PatchPaymentInstrumentRequest>;

export const PaymentInstrument = z.object({
  _links: z.object({ self: Link, customer: Link.optional() }).optional(),
  id: z.string(),
  object: z.literal('paymentInstrument').optional(),
  /** Present on customer instruments only. */
  default: z.boolean().optional(),
  state: z.enum(['ACTIVE', 'CLOSED']),
  card: z
    .object({
      expirationMonth: z.string().optional(),
      expirationYear: z.string().optional(),
      type: z.string().optional(),
    })
    .optional(),
  billTo: z.record(z.string(), z.string()).optional(),
  buyerInformation: z.record(z.string(), z.string()).optional(),
  instrumentIdentifier: z.object({ id: z.string() }).optional(),
  metadata: Metadata.optional(),
  _embedded: z.object({ instrumentIdentifier: InstrumentIdentifier.optional() }).optional(),
});
export type PaymentInstrument = z.infer<typeof PaymentInstrument>;

/** A page of instruments, the customer's default first (API-FACTS §3.3). */
export const PaymentInstrumentList = z.object({
  _links: PageLinks,
  offset: z.number().int(),
  limit: z.number().int(),
  count: z.number().int(),
  total: z.number().int(),
  /** Absent on an empty page. */
  _embedded: z.object({ paymentInstruments: z.array(PaymentInstrument) }).optional(),
});
export type PaymentInstrumentList = z.infer<typeof PaymentInstrumentList>;
