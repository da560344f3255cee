/**
 * @module The `POST /pts/v2/payments` bodies of each flow (DESIGN.md flow table; API-FACTS
 * §2.2–2.4). Every one is a sale (`capture: true`) carrying our `code` and unique
 * `transactionId`, and refuses partial authorization.
 */
import type { PaymentRequestInput } from '../../cybersource/payments/index.ts';
import { type Currency, formatAmount } from '../money.ts';

export interface BillTo {
  firstName?: string | undefined;
  lastName?: string | undefined;
  address1?: string | undefined;
  address2?: string | undefined;
  locality?: string | undefined;
  administrativeArea?: string | undefined;
  postalCode?: string | undefined;
  country?: string | undefined;
  email?: string | undefined;
  phoneNumber?: string | undefined;
}

export interface Common {
  code: string;
  transactionId: string;
  amount: number;
  currency: Currency;
  billTo?: BillTo | undefined;
}

function order(c: Common): PaymentRequestInput['orderInformation'] {
  const billTo: Record<string, string> = {};
  for (const [k, v] of Object.entries(c.billTo ?? {}))
    if (typeof v === 'string' && v !== '') billTo[k] = v;
  return {
    amountDetails: { totalAmount: formatAmount(c.amount, c.currency), currency: c.currency },
    ...(Object.keys(billTo).length > 0 ? { billTo } : {}),
  };
}

const reference = (c: Common) => ({ code: c.code, transactionId: c.transactionId });

/**
 * A sale is for the whole amount or nothing. With partial authorization on (the account's
 * setting unless the request's `authorizationOptions.partialAuthIndicator` overrides it:
 * API-FACTS §2.4, and the REST spec's field description) an issuer may approve part of it:
 * `PARTIAL_AUTHORIZED` (§2.5), the part held on the card, and no order the checkout can fulfil.
 * Saying `false` makes the same card a decline the shopper can act on.
 */
const WHOLE_AMOUNT = { partialAuthIndicator: false } as const;

/**
 * The customer-initiated payment that starts a subscription, for Mastercard, names the
 * subscription's reason (NODE `ProcessingInfoAuthorizationOptionsInitiatorMerchantInitiatedTransaction.md`:
 * "Values 7 and 8 should be used on customer-initiated transactions that are establishing the
 * relationship for Mastercard subscriptions"); 7 is the recurring reason renewals send. Its
 * `commerceIndicator` is `recurring`, as the renewals' (MITs') is. [Decision: the sources
 * disagree. For `recurring`: the REST "Required Fields for Authorizing CIT Initial Subscription
 * Payments" lists, with a PAN and with TMS ("processingInformation.commerceIndicator — Set the
 * value to recurring", developer.cybersource.com `…/credentials-mc-subscription-cit-pan-intro`
 * and `…-cit-tms-req-fields`), the TMS page's REST example, and Mastercard's AN 5524 as a
 * third party summarises it (paymentsed.org, "New CIT/MIT Indicators": acquirers must
 * "populate the recurring payment indicator when submitting a card-not-present CIT that starts
 * a series of recurring payments"; Mastercard's own text was not read). For `internet`: the
 * PAN page's REST example and the use-case text of the "Mastercard Initial CIT Subscription
 * Payment" pages ("internet or a payer authentication value"). The flow here is the TMS one,
 * whose pages agree with each other; an earlier version sent `internet`.] Other networks' first
 * payments are `internet` (the Visa initial-CIT pages).
 */
const customerInitiated = (recurring: boolean, brand: string) =>
  recurring && brand === 'mastercard'
    ? {
        commerceIndicator: 'recurring' as const,
        initiator: { merchantInitiatedTransaction: { reason: '7' } },
      }
    : { commerceIndicator: 'internet' as const, initiator: {} };

/**
 * A new card from a transient token. Keeping it adds TOKEN_CREATE (§2.3): customer +
 * paymentInstrument + instrumentIdentifier for a first save, or paymentInstrument +
 * instrumentIdentifier under the shopper's existing customer; and marks the credential as
 * stored on file (§2.4). A plan also marks the first payment of a recurring series.
 *
 * A card kept for an existing customer is made its default, as a shopper who just paid with it
 * expects: `tokenInformation.paymentInstrument.default` is false unless sent (NODE
 * `Ptsv2paymentsTokenInformationPaymentInstrument.md`; SAMPLES
 * `authorization-with-customer-token-default-payment-instrument-and-shipping-address-creation.js`
 * sends it). A new customer's first card is its default anyway.
 */
export function newCardPayment(
  c: Common,
  token: string,
  keep: { customerId: string | undefined; recurring: boolean; brand: string } | undefined,
): PaymentRequestInput {
  const base: PaymentRequestInput = {
    clientReferenceInformation: reference(c),
    processingInformation: {
      capture: true,
      commerceIndicator: 'internet',
      authorizationOptions: WHOLE_AMOUNT,
    },
    tokenInformation: { transientTokenJwt: token },
    orderInformation: order(c),
  };
  if (!keep) return base;
  const series = customerInitiated(keep.recurring, keep.brand);
  return {
    ...base,
    processingInformation: {
      capture: true,
      commerceIndicator: series.commerceIndicator,
      actionList: ['TOKEN_CREATE'],
      actionTokenTypes: keep.customerId
        ? ['paymentInstrument', 'instrumentIdentifier']
        : ['customer', 'paymentInstrument', 'instrumentIdentifier'],
      authorizationOptions: {
        ...WHOLE_AMOUNT,
        initiator: {
          type: 'customer',
          credentialStoredOnFile: true,
          ...series.initiator,
        },
      },
      ...(keep.recurring ? { recurringOptions: { firstRecurringPayment: true } } : {}),
    },
    ...(keep.customerId
      ? {
          paymentInformation: { customer: { id: keep.customerId } },
          tokenInformation: { transientTokenJwt: token, paymentInstrument: { default: true } },
        }
      : {}),
  };
}

/**
 * A saved card: customer + payment instrument, customer-initiated with the stored credential.
 *
 * A plan bought with it is the first payment of a recurring series on a credential stored
 * earlier. Sent as a use of that credential (`storedCredentialUsed`) that starts the series
 * (`recurringOptions.firstRecurringPayment`, Mastercard's reason 7), not also with
 * `credentialStoredOnFile`, which the initiator model describes as storing the credential
 * ("merchant will use this transaction to store payment credentials for follow-up
 * merchant-initiated transactions"; NODE `ProcessingInfoAuthorizationOptionsInitiator.md`),
 * done when the card was saved. [Decision, open: no CyberSource page shows an initial recurring
 * CIT on an already stored card; the Visa Platform Connect subscription pages show a new card,
 * `credentialStoredOnFile: true`. Both flags at once are not documented as refused either; a
 * sandbox run with a plan paid by a saved card would settle it.]
 */
export function savedCardPayment(
  c: Common,
  customerId: string,
  paymentInstrumentId: string,
  recurring: boolean,
  brand: string,
): PaymentRequestInput {
  const series = customerInitiated(recurring, brand);
  return {
    clientReferenceInformation: reference(c),
    processingInformation: {
      capture: true,
      commerceIndicator: series.commerceIndicator,
      authorizationOptions: {
        ...WHOLE_AMOUNT,
        initiator: {
          type: 'customer',
          storedCredentialUsed: true,
          ...series.initiator,
        },
      },
      ...(recurring ? { recurringOptions: { firstRecurringPayment: true } } : {}),
    },
    paymentInformation: {
      customer: { id: customerId },
      paymentInstrument: { id: paymentInstrumentId },
    },
    orderInformation: order(c),
  };
}

/** Brands whose merchant-initiated charges carry the original authorization's amount (API-FACTS §2.4). */
const CITES_ORIGINAL_AMOUNT: ReadonlySet<string> = new Set(['discover', 'diners-club']);

/**
 * A renewal: merchant-initiated, stored credential, fixed recurring (reason 7), citing the first
 * payment; for Discover and Diners Club also its amount. Without a network transaction id
 * (neither the first payment's answer nor TMS had one) it names the tokens alone: CyberSource's
 * "Required Fields for Authorizing a Merchant-Initiated Recurring Payments with TMS" list no
 * `previousTransactionId`, and "including a customer token in subsequent MITs eliminates the
 * need to include … the previous transaction's ID" (developer.cybersource.com
 * `credentials-recur-mit-tms-reqfields`, `credentials-cit-initial-tms-intro`). What CyberSource
 * cites then is its own [inferred]; one known is always sent, as the PAN flow must.
 */
export function renewalPayment(
  c: Common,
  customerId: string,
  paymentInstrumentId: string,
  previousTransactionId: string | undefined,
  original: { brand: string | undefined; amount: number },
): PaymentRequestInput {
  const originalAuthorizedAmount =
    original.brand && CITES_ORIGINAL_AMOUNT.has(original.brand)
      ? formatAmount(original.amount, c.currency)
      : undefined;
  return {
    clientReferenceInformation: reference(c),
    processingInformation: {
      capture: true,
      commerceIndicator: 'recurring',
      authorizationOptions: {
        ...WHOLE_AMOUNT,
        initiator: {
          type: 'merchant',
          storedCredentialUsed: true,
          merchantInitiatedTransaction: {
            reason: '7',
            ...(previousTransactionId ? { previousTransactionId } : {}),
            ...(originalAuthorizedAmount ? { originalAuthorizedAmount } : {}),
          },
        },
      },
    },
    paymentInformation: {
      customer: { id: customerId },
      paymentInstrument: { id: paymentInstrumentId },
    },
    orderInformation: order(c),
  };
}
