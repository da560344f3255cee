/**
 * @module `GET /tss/v2/transactions/{id}` and `POST /tss/v2/searches` (NODE
 * `TssV2TransactionsGet200Response.md`, `TssV2TransactionsPost201Response.md`, SAMPLES
 * `Samples/TransactionSearch/create-search-request.js`). Note the details key `submitTimeUTC`.
 */
import { z } from 'zod';
import { PtsLink } from './common.ts';

const Application = z.looseObject({
  name: z.string(),
  reasonCode: z.string().optional(),
  rCode: z.string().optional(),
  rFlag: z.string().optional(),
  rMessage: z.string().optional(),
  reconciliationId: z.string().optional(),
});

const ApplicationInformation = z.looseObject({
  status: z.string().optional(),
  reasonCode: z.string().optional(),
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
 * Every field optional, as NODE's `TssV2TransactionsPost201Response.md` has them: `searchId`
 * only comes back for a saved search (`save: true`), and the reconciler's searches are not.
 */
export const SearchResponse = z.looseObject({
  searchId: z.string().optional(),
  save: z.boolean().optional(),
  name: z.string().optional(),
  timezone: z.string().optional(),
  query: z.string().optional(),
  offset: z.number().optional(),
  limit: z.number().optional(),
  sort: z.string().optional(),
  count: z.number().optional(),
  totalCount: z.number().optional(),
  submitTimeUtc: z.string().optional(),
  _embedded: z.looseObject({ transactionSummaries: z.array(TransactionSummary) }).optional(),
  _links: z.looseObject({ self: PtsLink.optional() }).optional(),
});
export type SearchResponse = z.infer<typeof SearchResponse>;

const TokenId = z.object({ id: z.string() });

/** The TMS ids Transaction Details echoes for a payment made with (or creating) TMS tokens. */
export const DetailsTokens = z.looseObject({
  paymentInformation: z
    .looseObject({
      customer: TokenId.optional(),
      paymentInstrument: TokenId.optional(),
      instrumentIdentifier: TokenId.optional(),
      card: z
        .looseObject({
          suffix: z.string().optional(),
          expirationMonth: z.string().optional(),
          expirationYear: z.string().optional(),
        })
        .optional(),
    })
    .optional(),
});
export type DetailsTokens = z.infer<typeof DetailsTokens>;
