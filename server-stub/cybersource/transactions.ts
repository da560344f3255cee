/**
 * @module `GET /tss/v2/transactions/{id}`: what the reconciler asks when a payment's outcome is
 * unknown (RELIABILITY-FACTS §3.6). A read, so the client retries it safely.
 */
import { TransactionDetails } from '../../cybersource/payments/index.ts';
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
