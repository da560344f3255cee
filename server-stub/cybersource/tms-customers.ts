/**
 * @module `/tms/v2/customers/{id}` and the customer's instrument list (API-FACTS §3.1, §3.3).
 */
import { Customer } from '../../cybersource/tms/customers/index.ts';
import { PaymentInstrumentList } from '../../cybersource/tms/payment-instruments/index.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

const path = (customerId: string) => `/tms/v2/customers/${encodeURIComponent(customerId)}`;

export async function getCustomer(
  client: CyberSourceClient,
  customerId: string,
  requestId?: string,
) {
  const result = await guarded(() =>
    client.call({
      method: 'GET',
      path: path(customerId),
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, Customer);
}

/** One page (max 100) of the customer's payment instruments, the default first. */
export async function listCustomerPaymentInstruments(
  client: CyberSourceClient,
  customerId: string,
  requestId?: string,
): Promise<PaymentInstrumentList> {
  const result = await guarded(() =>
    client.call({
      method: 'GET',
      path: `${path(customerId)}/payment-instruments?offset=0&limit=100`,
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, PaymentInstrumentList);
}
