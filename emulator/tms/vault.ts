/**
 * @module What the Payments API needs from TMS: vault a card during a payment (TOKEN_CREATE)
 * and resolve stored tokens back to a card when a payment names them (API-FACTS §2.2, §2.3).
 */
import type { BillTo, InstrumentIdentifier, PaymentInstrument, TmsStore } from './store.ts';

export type ActionTokenType =
  | 'customer'
  | 'paymentInstrument'
  | 'instrumentIdentifier'
  | 'shippingAddress';

export interface CardToVault {
  number: string;
  expirationMonth?: string;
  expirationYear?: string;
  type?: string;
}

export interface VaultResult {
  instrumentIdentifier: InstrumentIdentifier;
  instrumentIdentifierNew: boolean;
  /** The customer the new instrument belongs to: created here, or the one the request named. */
  customerId?: string;
  /** Whether this request created `customerId` (only then is it a new token to report). */
  customerCreated: boolean;
  paymentInstrumentId?: string;
  shippingAddressId?: string;
}

export type VaultError = { error: 'customerNotFound' };

/**
 * TOKEN_CREATE: creates (or finds) the instrument identifier, then a payment instrument and
 * a customer as `actionTokenTypes` asks. With an existing `customerId`, the new instrument is
 * added to that customer. It becomes the customer's default only when `makeDefault`
 * (`tokenInformation.paymentInstrument.default`, "default to false": NODE
 * `Ptsv2paymentsTokenInformationPaymentInstrument.md`; the "new default PI" sample sets it) or
 * when the customer has no default yet, as a first card (API-FACTS §2.3, §3.3).
 *
 * `shippingAddress` keeps `shipTo` as a shipping address token of that customer, made its
 * default by `makeDefaultShippingAddress` (`tokenInformation.shippingAddress.default`, "default
 * to false": NODE `Ptsv2paymentsTokenInformationShippingAddress.md`) or as its first address
 * (store.ts). Without a customer or a `shipTo` nothing is kept: request-rules.ts refuses both.
 */
export function vaultCard(
  tms: TmsStore,
  merchantId: string,
  card: CardToVault,
  types: readonly ActionTokenType[],
  opts: {
    customerId?: string;
    makeDefault?: boolean;
    makeDefaultShippingAddress?: boolean;
    billTo?: BillTo;
    shipTo?: BillTo;
    email?: string;
    now: Date;
  },
): VaultResult | VaultError {
  let customerId = opts.customerId;
  if (customerId) {
    const existing = tms.customers.get(customerId);
    if (!existing || existing.merchantId !== merchantId) return { error: 'customerNotFound' };
  }
  const { ii, created } = tms.findOrCreateInstrumentIdentifier(merchantId, card.number, opts.now);
  const result: VaultResult = {
    instrumentIdentifier: ii,
    instrumentIdentifierNew: created,
    customerCreated: false,
  };
  if (types.includes('customer') && !customerId) {
    customerId = tms.createCustomer(
      merchantId,
      opts.email ? { buyerInformation: { email: opts.email } } : {},
      opts.now,
    ).id;
    result.customerId = customerId;
    result.customerCreated = true;
  } else if (customerId && types.includes('paymentInstrument')) {
    // an existing customer is reported only when it gains the new instrument below
    result.customerId = customerId;
  }
  if (types.includes('shippingAddress') && customerId && opts.shipTo) {
    result.shippingAddressId = tms.createShippingAddress(
      merchantId,
      customerId,
      opts.shipTo,
      opts.makeDefaultShippingAddress === true,
      opts.now,
    ).id;
  }
  if (types.includes('paymentInstrument')) {
    const stored: Omit<PaymentInstrument, 'id' | 'merchantId' | 'createdAt' | 'state'> = {
      instrumentIdentifierId: ii.id,
      card: {
        ...(card.expirationMonth ? { expirationMonth: card.expirationMonth } : {}),
        ...(card.expirationYear ? { expirationYear: card.expirationYear } : {}),
        ...(card.type ? { type: card.type } : {}),
      },
      ...(customerId ? { customerId } : {}),
      ...(opts.billTo ? { billTo: opts.billTo } : {}),
    };
    result.paymentInstrumentId = tms.createPaymentInstrument(
      merchantId,
      stored,
      opts.makeDefault === true,
      opts.now,
    ).id;
  }
  return result;
}

export interface ResolvedCard {
  number: string;
  expirationMonth?: string;
  expirationYear?: string;
  type?: string;
  customerId?: string;
  paymentInstrumentId?: string;
  instrumentIdentifier: InstrumentIdentifier;
}

export type ResolveError = {
  error:
    | 'customerNotFound'
    | 'paymentInstrumentNotFound'
    | 'instrumentIdentifierNotFound'
    | 'noDefaultPaymentInstrument';
};

/**
 * Turns `paymentInformation.customer.id` / `paymentInstrument.id` / `instrumentIdentifier.id`
 * into the card they stand for. A customer alone means its default instrument.
 */
export function resolveStoredCard(
  tms: TmsStore,
  merchantId: string,
  refs: { customerId?: string; paymentInstrumentId?: string; instrumentIdentifierId?: string },
): ResolvedCard | ResolveError {
  if (refs.customerId !== undefined) {
    const customer = tms.customers.get(refs.customerId);
    if (!customer || customer.merchantId !== merchantId) return { error: 'customerNotFound' };
  }
  let piId = refs.paymentInstrumentId;
  if (!piId && refs.customerId) {
    piId = tms.customers.get(refs.customerId)?.defaultPaymentInstrumentId;
    if (!piId) return { error: 'noDefaultPaymentInstrument' };
  }
  if (piId) {
    const pi = tms.paymentInstruments.get(piId);
    if (!pi || pi.merchantId !== merchantId) return { error: 'paymentInstrumentNotFound' };
    if (refs.customerId && pi.customerId !== refs.customerId)
      return { error: 'paymentInstrumentNotFound' };
    // a customer's instrument is only usable while that customer exists (and is this merchant's)
    if (pi.customerId !== undefined) {
      const owner = tms.customers.get(pi.customerId);
      if (!owner || owner.merchantId !== merchantId) return { error: 'paymentInstrumentNotFound' };
    }
    const ii = tms.instrumentIdentifiers.get(pi.instrumentIdentifierId);
    if (!ii) return { error: 'instrumentIdentifierNotFound' };
    return {
      number: ii.number,
      ...pi.card,
      ...(pi.customerId ? { customerId: pi.customerId } : {}),
      paymentInstrumentId: pi.id,
      instrumentIdentifier: ii,
    };
  }
  if (refs.instrumentIdentifierId) {
    const ii = tms.instrumentIdentifiers.get(refs.instrumentIdentifierId);
    if (!ii || ii.merchantId !== merchantId) return { error: 'instrumentIdentifierNotFound' };
    return { number: ii.number, instrumentIdentifier: ii };
  }
  return { error: 'paymentInstrumentNotFound' };
}
