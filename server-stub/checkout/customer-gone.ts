/**
 * @module A shopper's TMS customer that no longer exists: deleted in the Business Center (a
 * data-deletion request), or kept by an emulator that has since restarted. TMS answers its
 * instrument list 404/410 ("Token not found" / "not available", API-FACTS §3.2) and refuses a
 * payment that keeps a card into it (400 on `paymentInformation.customer.id`). Until the stub
 * forgets it, that shopper could neither list cards nor keep a new one nor buy a plan, ever.
 * Confirmed with `GET /tms/v2/customers/{id}` first: a 404 on the list alone might mean an
 * empty customer, which must not be replaced.
 */
import { getCustomer } from '../cybersource/tms-customers.ts';
import { StubError } from '../errors.ts';
import { forgetShopperCustomer } from '../store/shoppers.ts';
import type { CheckoutContext } from './context.ts';

/** True when the customer is gone and the shopper no longer points at it. */
export async function forgetCustomerIfGone(
  ctx: CheckoutContext,
  shopperId: string,
  customerId: string,
  requestId: string,
): Promise<boolean> {
  try {
    await getCustomer(ctx.client, customerId, requestId);
    return false;
  } catch (err) {
    if (!(err instanceof StubError && err.code === 'not_found')) return false;
  }
  await forgetShopperCustomer(ctx.db, shopperId, customerId);
  ctx.logger.warn(
    { requestId, shopperId, customerId },
    'TMS customer no longer exists; forgotten, the next kept card starts a new one',
  );
  return true;
}

/** CyberSource refused a payment for the customer it names (400, API-FACTS §2.7 details). */
export function refusedCustomer(err: unknown): boolean {
  return (
    err instanceof StubError &&
    err.code === 'gateway_invalid_request' &&
    Array.isArray(err.details) &&
    err.details.some((d) => (d as { field?: unknown })?.field === 'paymentInformation.customer.id')
  );
}
