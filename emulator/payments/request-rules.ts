/**
 * @module Rules on a payment request that a schema cannot say: action combinations, zero-amount
 * sales, and the shape of stored-credential (CIT/MIT) fields (API-FACTS §2.3, §2.4).
 */
import type { PaymentRequest } from '../../cybersource/payments/index.ts';
import type { FieldDetail, InvalidReason } from './errors.ts';

export type RuleFailure = { reason: InvalidReason; detail?: FieldDetail };

const MIT = 'processingInformation.authorizationOptions.initiator';
export const PREVIOUS_TRANSACTION_ID = `${MIT}.merchantInitiatedTransaction.previousTransactionId`;

const invalid = (field: string): RuleFailure => ({
  reason: 'INVALID_DATA',
  detail: { field, reason: 'INVALID_DATA' },
});
const missing = (field: string): RuleFailure => ({
  reason: 'MISSING_FIELD',
  detail: { field, reason: 'MISSING_FIELD' },
});

export function checkRequestRules(
  req: PaymentRequest,
  totalMinor: number,
): RuleFailure | undefined {
  const p = req.processingInformation;
  const actions = p?.actionList ?? [];
  const types = p?.actionTokenTypes ?? [];
  const pay = req.paymentInformation;
  // Only TOKEN_CREATE is emulated; payer authentication, decision skipping etc. are refused, not ignored.
  if (actions.some((a) => a !== 'TOKEN_CREATE'))
    return {
      reason: 'NOT_SUPPORTED',
      detail: { field: 'processingInformation.actionList', reason: 'INVALID_DATA' },
    };
  if (actions.includes('TOKEN_CREATE')) {
    if (types.length === 0) return missing('processingInformation.actionTokenTypes');
    if (types.includes('shippingAddress')) {
      // A shipping address token belongs to a customer (NODE CustomerShippingAddressApi.md),
      // created here or named in `paymentInformation.customer`; and it is made from the
      // order's `shipTo` (SAMPLES `authorization-with-customer-token-creation.js`). The real
      // answer to either being absent is unknown: refused, not silently skipped [inferred].
      if (!types.includes('customer') && !pay?.customer)
        return invalid('processingInformation.actionTokenTypes');
      if (!req.orderInformation.shipTo) return missing('orderInformation.shipTo');
    }
    // A customer is created, or an existing one is extended; never both.
    if (types.includes('customer') && pay?.customer)
      return invalid('processingInformation.actionTokenTypes');
    // An existing customer is only extended by a new payment instrument; without one the
    // answer would name a customer that TOKEN_CREATE did not touch.
    if (pay?.customer && !types.includes('paymentInstrument'))
      return invalid('processingInformation.actionTokenTypes');
    // Vaulting needs the card: a card number, a transient token, or an instrument identifier,
    // whose card is vaulted already (the payments guide's "Authorizing a Payment with an
    // Instrument Identifier While Creating TMS Tokens": customer, payment instrument and
    // shipping address made around it); not a stored payment instrument.
    if (pay?.paymentInstrument) return invalid('processingInformation.actionList');
    if (!types.includes('instrumentIdentifier') && !types.includes('paymentInstrument')) {
      return invalid('processingInformation.actionTokenTypes');
    }
  } else if (types.length > 0) {
    return missing('processingInformation.actionList');
  }
  if (p?.capture && totalMinor === 0) return invalid('orderInformation.amountDetails.totalAmount');

  const initiator = p?.authorizationOptions?.initiator;
  if (initiator?.type === 'merchant') {
    // A merchant-initiated payment reuses a stored credential and names the first payment's
    // network transaction id (API-FACTS §2.4); without either it would not qualify as an MIT.
    // The id is checked in `authorize.ts`, once the card is resolved: with a TMS token it may be
    // the one TMS keeps.
    if (initiator.storedCredentialUsed !== true) {
      return initiator.storedCredentialUsed === undefined
        ? missing(`${MIT}.storedCredentialUsed`)
        : invalid(`${MIT}.storedCredentialUsed`);
    }
    // The shopper is not present, so there is no Microform token to pay with.
    if (req.tokenInformation?.transientTokenJwt)
      return invalid('tokenInformation.transientTokenJwt');
    if (initiator.credentialStoredOnFile) return invalid(`${MIT}.credentialStoredOnFile`);
  }
  return undefined;
}

/**
 * The billing fields a card payment needs on an account without "relaxed requirements for
 * address data" (developer.cybersource.com `payments-relax-reqs`: the feature is enabled by
 * customer support; NODE `BillTo.md`: each "is optional if your CyberSource account is
 * configured for relaxed requirements"). State and postal code only for the US and Canada.
 * A payment from a payment instrument (or a customer's) carries the address vaulted with it, so
 * only a card, a transient token or an instrument identifier is checked. Each missing field is
 * named, in this order.
 */
export function missingAddressFields(req: PaymentRequest): FieldDetail[] {
  const b = req.orderInformation.billTo ?? {};
  const northAmerica = b.country === 'US' || b.country === 'CA';
  const wanted: (keyof typeof b)[] = [
    'firstName',
    'lastName',
    'address1',
    'locality',
    ...(northAmerica ? (['administrativeArea', 'postalCode'] as const) : []),
    'country',
    'email',
  ];
  return wanted
    .filter((k) => !b[k])
    .map((k) => ({ field: `orderInformation.billTo.${k}`, reason: 'MISSING_FIELD' }));
}
