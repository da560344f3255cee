/**
 * @module Field shapes shared by every TMS endpoint group (API-FACTS §3.3).
 *
 * Request schemas are strict: an unknown key is a 400 `unknownField` on the real service
 * (SPEC2020 PATCH instrument identifier example), so the stub must never send one. Responses
 * have two schemas: `…Body` is the documented shape, which the emulator answers with and its
 * tests hold it to; the plain name is what a client reads, checking only the fields it uses,
 * each fail-soft (`soft`), because real answers drift from the documented shape (SPEC2020 types
 * paging fields as strings and shows `previousTransactionId` as a number) and one odd field
 * must not turn a saved-card list into `gateway_response_invalid`.
 * Limits come from SPEC2020 and the NODE `DefaultPaymentInstrument*` models.
 */
import { z } from 'zod';
import { Link } from '../envelopes.ts';
import { soft } from '../lenient.ts';

export const ExpirationMonth = z.string().regex(/^(0[1-9]|1[0-2])$/, 'expected MM, 01 to 12');
export const ExpirationYear = z.string().regex(/^\d{4}$/, 'expected YYYY');
/** CyberSource 3-digit card type (API-FACTS §5.6); v2 customer instruments use codes. */
export const CardTypeCode = z.string().regex(/^\d{3}$/, 'expected a 3-digit card type code');
/** A raw card number as the real API takes it: digits only, 12 to 19 (SPEC2020 `card.number`). */
export const RawCardNumber = z.string().regex(/^\d{12,19}$/, 'expected 12 to 19 digits');
/** 32 upper-case hex: customer and payment instrument ids (API-FACTS §3.3). */
export const TokenId = z.string().regex(/^[0-9A-F]{32}$/);

/** Billing address of a payment instrument (NODE `DefaultPaymentInstrumentBillTo`, SPEC2020 limits). */
export const BillTo = z.strictObject({
  firstName: z.string().min(1).max(60).optional(),
  lastName: z.string().min(1).max(60).optional(),
  company: z.string().min(1).max(60).optional(),
  address1: z.string().min(1).max(60).optional(),
  address2: z.string().min(1).max(60).optional(),
  locality: z.string().min(1).max(50).optional(),
  administrativeArea: z.string().min(1).max(20).optional(),
  postalCode: z.string().min(1).max(10).optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'expected an ISO 3166 two-letter code')
    .optional(),
  email: z.email().max(320).optional(),
  phoneNumber: z.string().min(6).max(32).optional(),
});
export type BillTo = z.infer<typeof BillTo>;

/** `processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction` (API-FACTS §3.3). */
export const MitProcessingInformation = z.strictObject({
  authorizationOptions: z.strictObject({
    initiator: z.strictObject({
      merchantInitiatedTransaction: z.strictObject({
        // "Data Length: 29 (Discover and Diners Club), 15 (All other card types)"
        // (developer.cybersource.com field reference, processingInformation.authorizationOptions
        // .initiator.merchantInitiatedTransaction.previousTransactionId): the card is not known
        // here, so the longer bound.
        previousTransactionId: z.string().min(1).max(29),
      }),
    }),
  }),
});

export const Metadata = z.object({ creator: z.string() });

/** `_links` of a paged list (NODE `PaymentInstrumentListLinks`). */
export const PageLinks = z.object({
  self: Link,
  first: Link.optional(),
  prev: Link.optional(),
  next: Link.optional(),
  last: Link.optional(),
});

/** Paging query of list endpoints: offset from 0, limit 1..100, default 20 (API-FACTS §3.1). */
export const PageQuery = z.strictObject({
  offset: z.string().regex(/^\d+$/, 'expected a non-negative integer').transform(Number).default(0),
  limit: z
    .string()
    .regex(/^\d+$/, 'expected an integer from 1 to 100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(100))
    .default(20),
  retrieveBinDetails: z.enum(['true', 'false']).optional(),
});

export { soft };

/**
 * A paged TMS list as the emulator answers it (NODE `PaymentInstrumentList1`,
 * `ShippingAddressListForCustomer`): links, paging counts, and the items under
 * `_embedded[key]`, which is absent on an empty page.
 */
export const pageBody = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.object({
    _links: PageLinks,
    offset: z.number().int(),
    limit: z.number().int(),
    count: z.number().int(),
    total: z.number().int(),
    _embedded: z.object({ [key]: z.array(item) } as Record<K, z.ZodArray<T>>).optional(),
  });

export const SoftString = soft(z.string());

/** A paging count: a number as NODE models it, or a digit string as SPEC2020 types it. */
export const SoftCount = soft(
  z.union([z.number().int().min(0), z.string().regex(/^\d+$/).transform(Number)]),
);
