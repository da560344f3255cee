/**
 * @module A customer's payment instrument: read, delete, make default (API-FACTS §3.1, §3.3:
 * `PATCH …/payment-instruments/{id}` with `{"default":true}`; DELETE answers 204).
 */
import type { PatchCustomerPaymentInstrumentRequest } from '../../cybersource/tms/customers/index.ts';
import { PaymentInstrument } from '../../cybersource/tms/payment-instruments/index.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded, parseAnswer } from './responses.ts';

const path = (customerId: string, instrumentId: string) =>
  `/tms/v2/customers/${encodeURIComponent(customerId)}/payment-instruments/${encodeURIComponent(instrumentId)}`;

const rid = (requestId: string | undefined) => (requestId === undefined ? {} : { requestId });

export async function getCustomerPaymentInstrument(
  client: CyberSourceClient,
  customerId: string,
  instrumentId: string,
  requestId?: string,
): Promise<PaymentInstrument> {
  const result = await guarded(() =>
    client.call({ method: 'GET', path: path(customerId, instrumentId), ...rid(requestId) }),
  );
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, PaymentInstrument);
}

/** Deletes the instrument; an instrument already gone (404/410) counts as deleted. */
export async function deleteCustomerPaymentInstrument(
  client: CyberSourceClient,
  customerId: string,
  instrumentId: string,
  requestId?: string,
): Promise<void> {
  const result = await guarded(() =>
    client.call({ method: 'DELETE', path: path(customerId, instrumentId), ...rid(requestId) }),
  );
  if (
    result.status === 204 ||
    result.status === 200 ||
    result.status === 404 ||
    result.status === 410
  )
    return;
  throw failureFor(result);
}

/**
 * Makes the instrument the customer's default and, with `card`, gives it a new expiry (a card
 * reissued with the same number, saved again): one PATCH, whose fields TMS merges into the
 * stored instrument (API-FACTS §3.3, decision).
 */
export async function setDefaultCustomerPaymentInstrument(
  client: CyberSourceClient,
  customerId: string,
  instrumentId: string,
  requestId?: string,
  card?: { expirationMonth: string; expirationYear: string; type?: string | undefined },
): Promise<PaymentInstrument> {
  const body: PatchCustomerPaymentInstrumentRequest = { default: true, ...(card ? { card } : {}) };
  const result = await guarded(() =>
    client.call({ method: 'PATCH', path: path(customerId, instrumentId), body, ...rid(requestId) }),
  );
  if (result.status !== 200) throw failureFor(result);
  return parseAnswer(result, PaymentInstrument);
}
