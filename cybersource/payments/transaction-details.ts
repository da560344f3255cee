/**
 * @module `GET /tss/v2/transactions/{id}` and `POST /tss/v2/searches` (NODE
 * `TssV2TransactionsGet200Response.md`, `TssV2TransactionsPost201Response.md`, SAMPLES
 * `Samples/TransactionSearch/create-search-request.js`). Note the details key `submitTimeUTC`.
 */
import { z } from 'zod';
import { soft } from '../lenient.ts';
import { PtsLink } from './common.ts';

/**
 * A reason code as CyberSource writes it in Transaction Details: a string in `applications[]`,
 * but a number at `applicationInformation.reasonCode` in real sandbox answers (a 2023 sandbox
 * record: `"reasonCode": 100`; the iDEAL "Retrieve a Transaction" example: `"reasonCode": 201`),
 * while the NODE model says string. Either is read, as a string.
 */
const ReasonCode = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional();

const Application = z.looseObject({
  // Optional in both NODE models (`…ApplicationInformationApplications.md`): an entry without
  // it must not fail the whole search, which the reconciler would read as "not found".
  name: soft(z.string()),
  reasonCode: ReasonCode,
  rCode: z.string().optional(),
  rFlag: z.string().optional(),
  rMessage: z.string().optional(),
  reconciliationId: z.string().optional(),
});

const ApplicationInformation = z.looseObject({
  status: z.string().optional(),
  reasonCode: ReasonCode,
  rCode: z.string().optional(),
  rFlag: z.string().optional(),
  applications: z.array(Application).optional(),
});

const AmountDetails = z.looseObject({
  totalAmount: z.string().optional(),
  authorizedAmount: z.string().optional(),
  currency: z.string().optional(),
  refundBalance: z.string().optional(),
});

const Card = z.looseObject({
  suffix: z.string().optional(),
  prefix: z.string().optional(),
  type: z.string().optional(),
  expirationMonth: z.string().optional(),
  expirationYear: z.string().optional(),
});

export const TransactionDetails = z.looseObject({
  id: z.string(),
  rootId: z.string().optional(),
  reconciliationId: z.string().optional(),
  merchantId: z.string().optional(),
  submitTimeUTC: z.string().optional(),
  status: z.string().optional(),
  applicationInformation: ApplicationInformation.optional(),
  clientReferenceInformation: z
    .looseObject({ code: z.string().optional(), transactionId: z.string().optional() })
    .optional(),
  errorInformation: z
    .looseObject({ reason: z.string().optional(), message: z.string().optional() })
    .optional(),
  orderInformation: z.looseObject({ amountDetails: AmountDetails.optional() }).optional(),
  paymentInformation: z.looseObject({ card: Card.optional() }).optional(),
  processorInformation: z
    .looseObject({
      approvalCode: z.string().optional(),
      responseCode: z.string().optional(),
      transactionId: z.string().optional(),
      networkTransactionId: z.string().optional(),
    })
    .optional(),
  _links: z
    .looseObject({ self: PtsLink.optional(), relatedTransactions: z.array(PtsLink).optional() })
    .optional(),
});
export type TransactionDetails = z.infer<typeof TransactionDetails>;

export const SearchRequest = z.object({
  save: z.boolean().optional(),
  name: z.string().optional(),
  timezone: z.string().optional(),
  query: z.string().min(1),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(2500).optional(),
  sort: z.string().optional(),
});
export type SearchRequest = z.infer<typeof SearchRequest>;

export const TransactionSummary = z.looseObject({
  id: z.string(),
  submitTimeUtc: z.string().optional(),
  merchantId: z.string().optional(),
  status: z.string().optional(),
  applicationInformation: ApplicationInformation.optional(),
  clientReferenceInformation: z.looseObject({ code: z.string().optional() }).optional(),
  orderInformation: z.looseObject({ amountDetails: AmountDetails.optional() }).optional(),
  paymentInformation: z.looseObject({ card: Card.optional() }).optional(),
  _links: z.looseObject({ transactionDetail: PtsLink.optional() }).optional(),
});
export type TransactionSummary = z.infer<typeof TransactionSummary>;

/**
 * Every field optional, as NODE's `TssV2TransactionsPost201Response.md` has them. Only the
 * summaries matter to the stub; the rest is read softly (a value of another type is dropped,
 * never a failed lookup): the spec's own example answers `"save": "false"`, a string where the
 * model says boolean, and a lookup that failed on such an echo would void a sale it could have
 * found. Every answer carries a `searchId` (that example, and the official get-search-results.js
 * reading a `save: false` search back by it).
 */
export const SearchResponse = z.looseObject({
  searchId: soft(z.string()),
  save: soft(z.union([z.boolean(), z.enum(['true', 'false'])])),
  name: soft(z.string()),
  timezone: soft(z.string()),
  query: soft(z.string()),
  offset: soft(z.number()),
  limit: soft(z.number()),
  sort: soft(z.string()),
  count: soft(z.number()),
  totalCount: soft(z.number()),
  submitTimeUtc: soft(z.string()),
  _embedded: z.looseObject({ transactionSummaries: z.array(TransactionSummary) }).optional(),
  _links: soft(z.looseObject({ self: PtsLink.optional() })),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

const SoftString = soft(z.string().min(1));
const SoftRef = soft(z.looseObject({ id: SoftString }));

/**
 * The TMS ids Transaction Details names for a payment made with (or creating) TMS tokens, each
 * read on its own. NODE `TssV2TransactionsGet200ResponsePaymentInformation.md`:
 * `customer {customerId, id}` (SPEC2020 has only `customerId`, "the Cybersource payment token
 * for a customer"), `paymentInstrument {id}`, `instrumentIdentifier {id}`; and a top-level
 * `tokenInformation {customer, paymentInstrument, instrumentIdentifier}`
 * (`TssV2TransactionsGet200ResponseTokenInformation.md`).
 */
const DetailsTokens = z.looseObject({
  paymentInformation: soft(
    z.looseObject({
      customer: soft(z.looseObject({ id: SoftString, customerId: SoftString })),
      paymentInstrument: SoftRef,
      instrumentIdentifier: SoftRef,
      card: soft(
        z.looseObject({
          suffix: SoftString,
          expirationMonth: SoftString,
          expirationYear: SoftString,
        }),
      ),
    }),
  ),
  tokenInformation: soft(
    z.looseObject({
      customer: SoftRef,
      paymentInstrument: SoftRef,
      instrumentIdentifier: SoftRef,
    }),
  ),
});

export interface DetailsTokenIds {
  customerId?: string;
  paymentInstrumentId?: string;
  instrumentIdentifierId?: string;
  card: { suffix?: string; expirationMonth?: string; expirationYear?: string };
}

/**
 * The TMS ids of a Transaction Details answer: `tokenInformation.*.id` first, then
 * `paymentInformation.*.id`, and for the customer at last `customerId` (the older name of the
 * same token in SPEC2020). A field of an unexpected shape is skipped, never fatal.
 */
export function detailsTokens(details: unknown): DetailsTokenIds {
  const ids: DetailsTokenIds = { card: {} };
  const parsed = DetailsTokens.safeParse(details);
  if (!parsed.success) return ids;
  const pi = parsed.data.paymentInformation;
  const ti = parsed.data.tokenInformation;
  // `tokenInformation` first: the tokens this payment created, where `paymentInformation` may
  // name what it paid with (a customer's default card, when only the customer was sent).
  const customerId = ti?.customer?.id ?? pi?.customer?.id ?? pi?.customer?.customerId;
  const paymentInstrumentId = ti?.paymentInstrument?.id ?? pi?.paymentInstrument?.id;
  const instrumentIdentifierId = ti?.instrumentIdentifier?.id ?? pi?.instrumentIdentifier?.id;
  if (customerId) ids.customerId = customerId;
  if (paymentInstrumentId) ids.paymentInstrumentId = paymentInstrumentId;
  if (instrumentIdentifierId) ids.instrumentIdentifierId = instrumentIdentifierId;
  if (pi?.card?.suffix) ids.card.suffix = pi.card.suffix;
  if (pi?.card?.expirationMonth) ids.card.expirationMonth = pi.card.expirationMonth;
  if (pi?.card?.expirationYear) ids.card.expirationYear = pi.card.expirationYear;
  return ids;
}
