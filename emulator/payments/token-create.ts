/**
 * @module TOKEN_CREATE inside a payment (API-FACTS §2.3): vaults the card through TMS and
 * answers `tokenInformation`; the payment record then echoes the TMS ids.
 */
import { type PaymentRequest, vaultedBillTo } from '../../cybersource/payments/index.ts';
import type { EmulatorDeps } from '../http/env.ts';
import { vaultCard } from '../tms/vault.ts';
import type { TokenCreated } from './payment-body.ts';
import type { PaymentSource } from './payment-source.ts';
import type { CreatedTokens, PaymentTxn } from './store.ts';

/**
 * TOKEN_CREATE after an approval (no tokens for a decline [inferred]). `tokenInformation` names
 * the tokens this request created: a customer the request named is not one of them (NODE
 * `PtsV2PaymentsPost201ResponseTokenInformationCustomer.md`: "the Customer token that was
 * created as part of a bundled TOKEN_CREATE action") [inferred], though `paymentInformation`
 * still echoes it as the customer paid with (API-FACTS §2.6).
 */
export function vault(
  state: EmulatorDeps['state'],
  merchantId: string,
  req: PaymentRequest,
  source: PaymentSource,
  type: string,
  payment: PaymentTxn,
  now: Date,
): TokenCreated | undefined {
  const customerId = req.paymentInformation?.customer?.id;
  const makeDefault = req.tokenInformation?.paymentInstrument?.default === true;
  const makeDefaultShippingAddress = req.tokenInformation?.shippingAddress?.default === true;
  const email = req.orderInformation.billTo?.email;
  const billTo = req.orderInformation.billTo && vaultedBillTo(req.orderInformation.billTo);
  const shipTo = req.orderInformation.shipTo && vaultedBillTo(req.orderInformation.shipTo);
  const result = vaultCard(
    state.tms,
    merchantId,
    {
      number: source.card.number,
      expirationMonth: source.card.expirationMonth,
      expirationYear: source.card.expirationYear,
      type,
    },
    req.processingInformation?.actionTokenTypes ?? [],
    {
      ...(customerId ? { customerId } : {}),
      makeDefault,
      makeDefaultShippingAddress,
      ...(billTo ? { billTo } : {}),
      ...(shipTo ? { shipTo } : {}),
      ...(email ? { email } : {}),
      now,
    },
  );
  if ('error' in result) return undefined;
  const ii = result.instrumentIdentifier;
  payment.tms = {
    ...(result.customerId ? { customerId: result.customerId } : {}),
    ...(result.paymentInstrumentId ? { paymentInstrumentId: result.paymentInstrumentId } : {}),
    // echoed like the customer and instrument it belongs with (API-FACTS §2.6) [inferred]
    ...(result.shippingAddressId ? { shippingAddressId: result.shippingAddressId } : {}),
    instrumentIdentifierId: ii.id,
    instrumentIdentifierState: ii.state,
    paymentAccountReference: ii.paymentAccountReference,
  };
  const created: CreatedTokens = {
    ...(result.customerCreated && result.customerId ? { customerId: result.customerId } : {}),
    ...(result.paymentInstrumentId ? { paymentInstrumentId: result.paymentInstrumentId } : {}),
    ...(result.shippingAddressId ? { shippingAddressId: result.shippingAddressId } : {}),
    instrumentIdentifierId: ii.id,
  };
  payment.tokensCreated = created;
  return {
    instrumentidentifierNew: result.instrumentIdentifierNew,
    ...(created.customerId ? { customerId: created.customerId } : {}),
    ...(created.paymentInstrumentId ? { paymentInstrumentId: created.paymentInstrumentId } : {}),
    ...(created.shippingAddressId ? { shippingAddressId: created.shippingAddressId } : {}),
    instrumentIdentifier: { id: ii.id, state: ii.state },
  };
}
