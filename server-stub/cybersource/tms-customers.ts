/**
 * @module `/tms/v2/customers/{id}` and the customer's instrument list (API-FACTS §3.1, §3.3).
 */
import { Customer } from '../../cybersource/tms/customers/index.ts';
import {
  type PaymentInstrumentList,
  PaymentInstrumentPage,
  readPaymentInstrumentPage,
} from '../../cybersource/tms/payment-instruments/index.ts';
import type { Logger } from '../logger.ts';
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

/**
 * One page (max 100) of the customer's payment instruments, the default first. An instrument
 * that cannot be read is left out and logged (to `logger`, when given), so one odd card never
 * hides the others.
 */
export async function listCustomerPaymentInstruments(
  client: CyberSourceClient,
  customerId: string,
  requestId?: string,
  logger?: Pick<Logger, 'warn'>,
): Promise<PaymentInstrumentList> {
  const result = await guarded(() =>
    client.call({
      method: 'GET',
      path: `${path(customerId)}/payment-instruments?offset=0&limit=100`,
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 200) throw failureFor(result);
  const { list, skipped } = readPaymentInstrumentPage(parseAnswer(result, PaymentInstrumentPage));
  for (const item of skipped) {
    logger?.warn(
      { requestId, customerId, index: item.index, instrumentId: item.id, issues: item.issues },
      'TMS payment instrument unreadable; left out of the list',
    );
  }
  return list;
}
