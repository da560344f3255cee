/**
 * @module TOKEN_CREATE inside a payment (API-FACTS §2.3): vaults the card through TMS and
 * answers `tokenInformation`; the payment record then echoes the TMS ids.
 */
import { type PaymentRequest, vaultedBillTo } from '../../cybersource/payments/index.ts';
import type { EmulatorDeps } from '../http/env.ts';
import { vaultCard } from '../tms/vault.ts';
import type { TokenCreated } from './payment-body.ts';
import type { PaymentSource } from './payment-source.ts';
import type { PaymentTxn } from './store.ts';

/** TOKEN_CREATE after an approval (no tokens for a decline [inferred]); echoes the new ids. */
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
  const email = req.orderInformation.billTo?.email;
  const billTo = req.orderInformation.billTo && vaultedBillTo(req.orderInformation.billTo);
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
      ...(billTo ? { billTo } : {}),
      ...(email ? { email } : {}),
      now,
    },
  );
  if ('error' in result) return undefined;
  const ii = result.instrumentIdentifier;
  payment.tms = {
    ...(result.customerId ? { customerId: result.customerId } : {}),
    ...(result.paymentInstrumentId ? { paymentInstrumentId: result.paymentInstrumentId } : {}),
    instrumentIdentifierId: ii.id,
    instrumentIdentifierState: ii.state,
    paymentAccountReference: ii.paymentAccountReference,
  };
  return {
    instrumentidentifierNew: result.instrumentIdentifierNew,
    ...(result.customerId ? { customerId: result.customerId } : {}),
    ...(result.paymentInstrumentId ? { paymentInstrumentId: result.paymentInstrumentId } : {}),
    instrumentIdentifier: { id: ii.id, state: ii.state },
  };
}
