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
  pageBody,
  RawCardNumber,
  SoftCount,
  SoftString,
  soft,
} from '../common.ts';
import {
  InstrumentIdentifier,
  InstrumentIdentifierBody,
} from '../instrument-identifiers/schemas.ts';

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

/** An instrument as TMS documents it (API-FACTS §3.3): what the emulator answers with. */
export const PaymentInstrumentBody = z.object({
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
  _embedded: z.object({ instrumentIdentifier: InstrumentIdentifierBody.optional() }).optional(),
});
export type PaymentInstrumentBody = z.infer<typeof PaymentInstrumentBody>;

/** A page of instruments, the customer's default first (API-FACTS §3.3), as the emulator answers. */
export const PaymentInstrumentListBody = pageBody('paymentInstruments', PaymentInstrumentBody);
export type PaymentInstrumentListBody = z.infer<typeof PaymentInstrumentListBody>;

/**
 * What a client reads of an instrument (common.ts): the id, and the rest fail-soft; the embedded
 * identifier too, so an odd one costs only the card's last four digits.
 */
export const PaymentInstrument = z.looseObject({
  id: z.string().min(1),
  /** Present on customer instruments only. */
  default: soft(z.boolean()),
  state: SoftString,
  card: soft(
    z.looseObject({
      expirationMonth: SoftString,
      expirationYear: SoftString,
      type: SoftString,
    }),
  ),
  instrumentIdentifier: soft(z.looseObject({ id: z.string().min(1) })),
  _embedded: soft(z.looseObject({ instrumentIdentifier: soft(InstrumentIdentifier) })),
});
export type PaymentInstrument = z.infer<typeof PaymentInstrument>;

/**
 * A page as a client reads it: the paging fields optional (NODE `PaymentInstrumentList` marks
 * them so; SPEC2020 types them as strings), and the items left unparsed, for the reader to
 * parse one at a time and skip a bad one (`readPaymentInstrumentPage`). A malformed `_embedded`
 * still fails: reading it as "no cards" would make a client forget every saved card.
 */
export const PaymentInstrumentPage = z.looseObject({
  offset: SoftCount,
  limit: SoftCount,
  count: SoftCount,
  total: SoftCount,
  /** Absent on an empty page. */
  _embedded: z.looseObject({ paymentInstruments: z.array(z.unknown()) }).optional(),
});

export interface PaymentInstrumentList {
  offset?: number | undefined;
  limit?: number | undefined;
  count?: number | undefined;
  total?: number | undefined;
  _embedded?: { paymentInstruments: PaymentInstrument[] };
  /** How many items of the page could not be read (`readPaymentInstrumentPage`). */
  skipped?: number;
}

/** An item that could not be read: where it was, its id if it had one, and what was wrong. */
export interface SkippedItem {
  index: number;
  id?: string;
  issues: { field: string; reason: string }[];
}

const ItemId = z.looseObject({ id: z.string() });

/** Parses a page's items one at a time; unreadable ones are returned apart, never fatal. */
export function readPaymentInstrumentPage(page: z.infer<typeof PaymentInstrumentPage>): {
  list: PaymentInstrumentList;
  skipped: SkippedItem[];
} {
  const { offset, limit, count, total } = page;
  const list: PaymentInstrumentList = { offset, limit, count, total };
  const skipped: SkippedItem[] = [];
  if (!page._embedded) return { list, skipped };
  const items: PaymentInstrument[] = [];
  page._embedded.paymentInstruments.forEach((raw, index) => {
    const item = PaymentInstrument.safeParse(raw);
    if (item.success) {
      items.push(item.data);
      return;
    }
    const id = ItemId.safeParse(raw);
    skipped.push({
      index,
      ...(id.success ? { id: id.data.id } : {}),
      issues: item.error.issues
        .slice(0, 5)
        .map((i) => ({ field: i.path.join('.'), reason: i.code })),
    });
  });
  list._embedded = { paymentInstruments: items };
  list.skipped = skipped.length;
  return { list, skipped };
}
