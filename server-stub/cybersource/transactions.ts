/**
 * @module `GET /tss/v2/transactions/{id}` and `POST /tss/v2/searches`: what the reconciler asks
 * when a payment's outcome is unknown (RELIABILITY-FACTS §3.6). The GET is a read, so the client
 * retries it safely; the search is a POST the client does not resend (the reconciler asks again
 * on its next pass).
 */
import {
  SearchResponse,
  TransactionDetails,
  type TransactionSummary,
} from '../../cybersource/payments/index.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

export async function getTransaction(
  client: CyberSourceClient,
  id: string,
  requestId?: string,
): Promise<TransactionDetails | undefined> {
  const result = await guarded(() =>
    client.call({
      method: 'GET',
      path: `/tss/v2/transactions/${encodeURIComponent(id)}`,
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status === 404) return undefined;
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, TransactionDetails);
}

const DAY_MS = 86_400_000;

/**
 * The transactions whose `clientReferenceInformation.code` is `code` (the stub's own unique
 * payment or refund id), newest first; the query syntax is the official sample's, date range
 * included (SAMPLES `create-search-request.js`: `submitTimeUtc:[NOW/DAY-7DAYS TO NOW/DAY+1DAY}`),
 * here reaching back to the day before `since` (when our row was written), so an old payment
 * held for review is still found.
 */
export async function searchByReferenceCode(
  client: CyberSourceClient,
  code: string,
  since: { createdAt: Date; now: Date },
  requestId?: string,
): Promise<TransactionSummary[]> {
  const days =
    Math.max(0, Math.ceil((since.now.getTime() - since.createdAt.getTime()) / DAY_MS)) + 1;
  const result = await guarded(() =>
    client.call({
      method: 'POST',
      path: '/tss/v2/searches',
      body: {
        save: false,
        query: `clientReferenceInformation.code:${code} AND submitTimeUtc:[NOW/DAY-${days}DAYS TO NOW/DAY+1DAY}`,
        sort: 'submitTimeUtc:desc',
        limit: 20,
      },
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 201 && result.status !== 200) throw failureFor(result);
  return parseAnswer(result, SearchResponse)._embedded?.transactionSummaries ?? [];
}
