/**
 * @module Stored tokens → the JSON TMS answers with (API-FACTS §3.3).
 *
 * Card numbers leave only masked. Links: `/tms/v1` answers carry absolute hrefs and `/tms/v2`
 * answers relative ones, as the real examples do; `origin` is the emulator's own origin so a
 * client following an absolute link stays on the emulator.
 */
import type {
  Customer as CustomerBody,
  ShippingAddressBody,
  ShippingAddressListBody,
} from '../../cybersource/tms/customers/schemas.ts';
import type { InstrumentIdentifierBody } from '../../cybersource/tms/instrument-identifiers/schemas.ts';
import type {
  PaymentInstrumentBody,
  PaymentInstrumentListBody,
} from '../../cybersource/tms/payment-instruments/schemas.ts';
import type {
  Customer,
  InstrumentIdentifier,
  PaymentInstrument,
  ShippingAddress,
  TmsStore,
} from './store.ts';

/** `4111111111111111` → `411111XXXXXX1111`: first six and last four, as every TMS example. */
export function maskCardNumber(pan: string): string {
  return `${pan.slice(0, 6)}${'X'.repeat(Math.max(0, pan.length - 10))}${pan.slice(-4)}`;
}

function strings(record: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!record) return undefined;
  const entries = Object.entries(record).filter(
    (e): e is [string, string] => typeof e[1] === 'string',
  );
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export const iiPath = (id: string) => `/tms/v1/instrumentidentifiers/${id}`;
export const standalonePiPath = (id: string) => `/tms/v1/paymentinstruments/${id}`;
export const customerPath = (id: string) => `/tms/v2/customers/${id}`;
export const customerPiPath = (customerId: string, piId: string) =>
  `${customerPath(customerId)}/payment-instruments/${piId}`;
export const shippingAddressesPath = (customerId: string) =>
  `${customerPath(customerId)}/shipping-addresses`;

export function presentInstrumentIdentifier(
  ii: InstrumentIdentifier,
  origin: string,
): InstrumentIdentifierBody {
  const self = origin + iiPath(ii.id);
  const billTo = strings(ii.billTo);
  return {
    _links: { self: { href: self }, paymentInstruments: { href: `${self}/paymentinstruments` } },
    id: ii.id,
    object: 'instrumentIdentifier',
    state: ii.state,
    card: {
      number: maskCardNumber(ii.number),
      ...(ii.expirationMonth ? { expirationMonth: ii.expirationMonth } : {}),
      ...(ii.expirationYear ? { expirationYear: ii.expirationYear } : {}),
    },
    ...(billTo ? { billTo } : {}),
    issuer: { paymentAccountReference: ii.paymentAccountReference },
    ...(ii.previousTransactionId
      ? {
          processingInformation: {
            authorizationOptions: {
              initiator: {
                merchantInitiatedTransaction: { previousTransactionId: ii.previousTransactionId },
              },
            },
          },
        }
      : {}),
    metadata: { creator: ii.merchantId },
  };
}

/**
 * A customer's instrument in the v2 shape (`default`, customer link, relative hrefs) or a
 * stand-alone one in the v1 shape (`object`, absolute hrefs); both embed their identifier.
 */
export function presentPaymentInstrument(
  tms: TmsStore,
  pi: PaymentInstrument,
  origin: string,
): PaymentInstrumentBody {
  const customer = pi.customerId ? tms.customers.get(pi.customerId) : undefined;
  const ii = tms.instrumentIdentifiers.get(pi.instrumentIdentifierId);
  const billTo = strings(pi.billTo);
  const buyerInformation = strings(pi.buyerInformation);
  const head: PaymentInstrumentBody = customer
    ? {
        _links: {
          self: { href: customerPiPath(customer.id, pi.id) },
          customer: { href: customerPath(customer.id) },
        },
        id: pi.id,
        default: customer.defaultPaymentInstrumentId === pi.id,
        state: pi.state,
      }
    : {
        _links: { self: { href: origin + standalonePiPath(pi.id) } },
        id: pi.id,
        object: 'paymentInstrument',
        state: pi.state,
      };
  return {
    ...head,
    card: { ...pi.card },
    ...(billTo ? { billTo } : {}),
    ...(buyerInformation ? { buyerInformation } : {}),
    instrumentIdentifier: { id: pi.instrumentIdentifierId },
    metadata: { creator: pi.merchantId },
    ...(ii
      ? {
          _embedded: {
            instrumentIdentifier: presentInstrumentIdentifier(ii, customer ? '' : origin),
          },
        }
      : {}),
  };
}

/**
 * A customer's shipping address (NODE `DefaultShippingAddress`: `_links {self, customer}`, `id`,
 * `default`, `shipTo`, `metadata.creator`), relative hrefs like every `/tms/v2` answer.
 */
export function presentShippingAddress(tms: TmsStore, sa: ShippingAddress): ShippingAddressBody {
  const customer = tms.customers.get(sa.customerId);
  const shipTo = strings(sa.shipTo);
  return {
    _links: {
      self: { href: `${shippingAddressesPath(sa.customerId)}/${sa.id}` },
      customer: { href: customerPath(sa.customerId) },
    },
    id: sa.id,
    default: customer?.defaultShippingAddressId === sa.id,
    ...(shipTo ? { shipTo } : {}),
    metadata: { creator: sa.merchantId },
  };
}

export function presentCustomer(tms: TmsStore, customer: Customer): CustomerBody {
  const self = customerPath(customer.id);
  const defaultPi = customer.defaultPaymentInstrumentId
    ? tms.paymentInstruments.get(customer.defaultPaymentInstrumentId)
    : undefined;
  const defaultSa = customer.defaultShippingAddressId
    ? tms.shippingAddresses.get(customer.defaultShippingAddressId)
    : undefined;
  const embedded = {
    ...(defaultPi
      ? { defaultPaymentInstrument: presentPaymentInstrument(tms, defaultPi, '') }
      : {}),
    ...(defaultSa ? { defaultShippingAddress: presentShippingAddress(tms, defaultSa) } : {}),
  };
  return {
    // link names as NODE `Tmsv2tokenizeTokenInformationCustomerLinks` (`shippingAddress`,
    // singular, though it points at the list; API-FACTS §3.3's example spells it `shippingAddresses`)
    _links: {
      self: { href: self },
      paymentInstruments: { href: `${self}/payment-instruments` },
      shippingAddress: { href: shippingAddressesPath(customer.id) },
    },
    id: customer.id,
    ...(customer.objectInformation ? { objectInformation: { ...customer.objectInformation } } : {}),
    ...(customer.buyerInformation ? { buyerInformation: { ...customer.buyerInformation } } : {}),
    ...(customer.clientReferenceInformation
      ? { clientReferenceInformation: { ...customer.clientReferenceInformation } }
      : {}),
    ...(customer.merchantDefinedInformation
      ? { merchantDefinedInformation: customer.merchantDefinedInformation.map((f) => ({ ...f })) }
      : {}),
    ...(defaultPi ? { defaultPaymentInstrument: { id: defaultPi.id } } : {}),
    ...(defaultSa ? { defaultShippingAddress: { id: defaultSa.id } } : {}),
    metadata: { creator: customer.merchantId },
    ...(Object.keys(embedded).length ? { _embedded: embedded } : {}),
  };
}

type Page = { offset: number; limit: number; href: string };

/** One page of `all` with HAL paging links; the caller leaves `_embedded` out of an empty page. */
function pageOf<T, B>(all: readonly T[], page: Page, present: (item: T) => B) {
  const { offset, limit, href } = page;
  const total = all.length;
  const at = (o: number) => ({ href: `${href}?offset=${o}&limit=${limit}` });
  const items = all.slice(offset, offset + limit).map(present);
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  return {
    head: {
      _links: {
        self: at(offset),
        first: at(0),
        ...(offset > 0 ? { prev: at(Math.max(0, offset - limit)) } : {}),
        ...(offset + limit < total ? { next: at(offset + limit) } : {}),
        last: at(lastOffset),
      },
      offset,
      limit,
      count: items.length,
      total,
    },
    items,
  };
}

/** One page of instruments; `_embedded` is left out of an empty page. */
export function presentPage(
  tms: TmsStore,
  all: readonly PaymentInstrument[],
  page: Page & { origin: string },
): PaymentInstrumentListBody {
  const { head, items } = pageOf(all, page, (pi) => presentPaymentInstrument(tms, pi, page.origin));
  return { ...head, ...(items.length ? { _embedded: { paymentInstruments: items } } : {}) };
}

/** One page of a customer's shipping addresses (NODE `ShippingAddressListForCustomer`). */
export function presentShippingAddressPage(
  tms: TmsStore,
  all: readonly ShippingAddress[],
  page: Page,
): ShippingAddressListBody {
  const { head, items } = pageOf(all, page, (sa) => presentShippingAddress(tms, sa));
  return { ...head, ...(items.length ? { _embedded: { shippingAddresses: items } } : {}) };
}
