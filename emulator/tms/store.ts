/**
 * @module TMS vault state: instrument identifiers, payment instruments, customers and their
 * shipping addresses.
 *
 * The emulator plays CyberSource, so it holds card numbers here, per merchant; nothing else in
 * the project ever does. Ids follow the real formats (API-FACTS §3.3).
 */
import { instrumentIdentifierId, tmsId } from '../ids.ts';

export interface StoredCard {
  expirationMonth?: string;
  expirationYear?: string;
  /** CyberSource 3-digit card type, e.g. `001`. */
  type?: string;
}

export interface BillTo {
  [field: string]: string | undefined;
}

export interface InstrumentIdentifier {
  id: string;
  merchantId: string;
  /** The full card number (PAN). Never leaves the emulator except masked. */
  number: string;
  state: 'ACTIVE' | 'CLOSED';
  paymentAccountReference: string;
  previousTransactionId?: string;
  /** Optional card details given at creation (NODE `TmsEmbeddedInstrumentIdentifierCard`). */
  expirationMonth?: string;
  expirationYear?: string;
  billTo?: BillTo;
  createdAt: Date;
}

export interface PaymentInstrument {
  id: string;
  merchantId: string;
  /** Set for customer payment instruments; absent for stand-alone ones. */
  customerId?: string;
  instrumentIdentifierId: string;
  card: StoredCard;
  billTo?: BillTo;
  buyerInformation?: Record<string, unknown>;
  state: 'ACTIVE' | 'CLOSED';
  createdAt: Date;
}

export interface Customer {
  id: string;
  merchantId: string;
  buyerInformation?: { merchantCustomerID?: string; email?: string };
  clientReferenceInformation?: { code?: string };
  merchantDefinedInformation?: { name: string; value: string }[];
  objectInformation?: { title?: string; comment?: string };
  defaultPaymentInstrumentId?: string;
  defaultShippingAddressId?: string;
  createdAt: Date;
}

/** A customer's shipping address token (NODE `DefaultShippingAddress`); always a customer's. */
export interface ShippingAddress {
  id: string;
  merchantId: string;
  customerId: string;
  /** NODE `DefaultShippingAddressShipTo` fields (the same as a payment instrument's `billTo`). */
  shipTo: BillTo;
  createdAt: Date;
}

export class TmsStore {
  readonly instrumentIdentifiers = new Map<string, InstrumentIdentifier>();
  readonly paymentInstruments = new Map<string, PaymentInstrument>();
  readonly customers = new Map<string, Customer>();
  readonly shippingAddresses = new Map<string, ShippingAddress>();
  /** `${merchantId}:${pan}` → instrument identifier id: the same card is the same II. */
  readonly #iiByCard = new Map<string, string>();
  /** Deleted token id → its merchant: the owner gets 410, anyone else 404 (API-FACTS §3.2). */
  readonly #deleted = new Map<string, string>();

  reset(): void {
    this.instrumentIdentifiers.clear();
    this.paymentInstruments.clear();
    this.customers.clear();
    this.shippingAddresses.clear();
    this.#iiByCard.clear();
    this.#deleted.clear();
  }

  /** True when this merchant once had a token with this id and deleted it. */
  isDeleted(merchantId: string, id: string): boolean {
    return this.#deleted.get(id) === merchantId;
  }

  /** The same card number always maps to the same identifier (API-FACTS §3.2: 201 new, 200 existing). */
  findOrCreateInstrumentIdentifier(
    merchantId: string,
    number: string,
    now: Date,
  ): { ii: InstrumentIdentifier; created: boolean } {
    const key = `${merchantId}:${number}`;
    const existingId = this.#iiByCard.get(key);
    const existing = existingId ? this.instrumentIdentifiers.get(existingId) : undefined;
    if (existing) return { ii: existing, created: false };
    const ii: InstrumentIdentifier = {
      id: instrumentIdentifierId(),
      merchantId,
      number,
      state: 'ACTIVE',
      paymentAccountReference: `V001${tmsId().slice(0, 25)}`,
      createdAt: now,
    };
    this.instrumentIdentifiers.set(ii.id, ii);
    this.#iiByCard.set(key, ii.id);
    return { ii, created: true };
  }

  /** An identifier with a given id (`sandbox-tokens.ts`): the card maps to it from now on. */
  putInstrumentIdentifier(ii: InstrumentIdentifier): void {
    this.instrumentIdentifiers.set(ii.id, ii);
    this.#iiByCard.set(`${ii.merchantId}:${ii.number}`, ii.id);
  }

  deleteInstrumentIdentifier(ii: InstrumentIdentifier): void {
    this.instrumentIdentifiers.delete(ii.id);
    this.#iiByCard.delete(`${ii.merchantId}:${ii.number}`);
    this.#deleted.set(ii.id, ii.merchantId);
  }

  /**
   * Deletes an instrument, then its identifier if no other instrument uses it: "Any Instrument
   * Identifiers representing the card number will also be deleted if they are not associated
   * with any other Payment Instruments" (NODE docs PaymentInstrumentApi.md and
   * CustomerPaymentInstrumentApi.md, deletion). A customer left without instruments has no default.
   */
  deletePaymentInstrument(pi: PaymentInstrument): void {
    this.paymentInstruments.delete(pi.id);
    this.#deleted.set(pi.id, pi.merchantId);
    const customer = pi.customerId ? this.customers.get(pi.customerId) : undefined;
    if (customer?.defaultPaymentInstrumentId === pi.id) delete customer.defaultPaymentInstrumentId;
    const ii = this.instrumentIdentifiers.get(pi.instrumentIdentifierId);
    if (ii && this.paymentInstrumentsOf(ii.id).length === 0) this.deleteInstrumentIdentifier(ii);
  }

  /**
   * Deletes a customer with all its instruments, orphaned identifiers and shipping addresses
   * (NODE docs CustomerApi.md; that its addresses go too is [inferred]: they cannot outlive it).
   */
  deleteCustomer(customer: Customer): void {
    for (const pi of this.customerPaymentInstruments(customer.id)) this.deletePaymentInstrument(pi);
    for (const sa of this.customerShippingAddresses(customer.id)) this.deleteShippingAddress(sa);
    this.customers.delete(customer.id);
    this.#deleted.set(customer.id, customer.merchantId);
  }

  createCustomer(
    merchantId: string,
    fields: Omit<Customer, 'id' | 'merchantId' | 'createdAt'>,
    now: Date,
  ): Customer {
    const customer: Customer = { ...fields, id: tmsId(), merchantId, createdAt: now };
    this.customers.set(customer.id, customer);
    return customer;
  }

  /**
   * Adds a payment instrument. A customer's first instrument becomes its default, and
   * `makeDefault` moves the default to the new one (API-FACTS §3.3).
   */
  createPaymentInstrument(
    merchantId: string,
    fields: Omit<PaymentInstrument, 'id' | 'merchantId' | 'createdAt' | 'state'>,
    makeDefault: boolean,
    now: Date,
  ): PaymentInstrument {
    const pi: PaymentInstrument = {
      ...fields,
      id: tmsId(),
      merchantId,
      state: 'ACTIVE',
      createdAt: now,
    };
    this.paymentInstruments.set(pi.id, pi);
    const customer = pi.customerId ? this.customers.get(pi.customerId) : undefined;
    if (customer && (makeDefault || !customer.defaultPaymentInstrumentId)) {
      customer.defaultPaymentInstrumentId = pi.id;
    }
    return pi;
  }

  /** The customer's instruments, default first, then oldest first (TMS best-practices page). */
  customerPaymentInstruments(customerId: string): PaymentInstrument[] {
    return defaultFirst(
      [...this.paymentInstruments.values()].filter((p) => p.customerId === customerId),
      this.customers.get(customerId)?.defaultPaymentInstrumentId,
    );
  }

  /**
   * Adds a shipping address to a customer. Like instruments, a customer's first address becomes
   * its default and `makeDefault` moves the default (NODE CustomerShippingAddressApi.md: one
   * address is "allocated as the Customers default"; the first-is-default rule is [inferred]).
   */
  createShippingAddress(
    merchantId: string,
    customerId: string,
    shipTo: BillTo,
    makeDefault: boolean,
    now: Date,
  ): ShippingAddress {
    const sa: ShippingAddress = {
      id: tmsId(),
      merchantId,
      customerId,
      shipTo: { ...shipTo },
      createdAt: now,
    };
    this.shippingAddresses.set(sa.id, sa);
    const customer = this.customers.get(customerId);
    if (customer && (makeDefault || !customer.defaultShippingAddressId)) {
      customer.defaultShippingAddressId = sa.id;
    }
    return sa;
  }

  /** Deletes an address; a customer left without its default has none (as for instruments). */
  deleteShippingAddress(sa: ShippingAddress): void {
    this.shippingAddresses.delete(sa.id);
    this.#deleted.set(sa.id, sa.merchantId);
    const customer = this.customers.get(sa.customerId);
    if (customer?.defaultShippingAddressId === sa.id) delete customer.defaultShippingAddressId;
  }

  /** The customer's shipping addresses, default first, then oldest first (as instruments). */
  customerShippingAddresses(customerId: string): ShippingAddress[] {
    return defaultFirst(
      [...this.shippingAddresses.values()].filter((s) => s.customerId === customerId),
      this.customers.get(customerId)?.defaultShippingAddressId,
    );
  }

  /** Instruments (any customer's or none) that use an instrument identifier. */
  paymentInstrumentsOf(iiId: string): PaymentInstrument[] {
    return [...this.paymentInstruments.values()].filter((p) => p.instrumentIdentifierId === iiId);
  }
}

/** A customer's tokens as TMS lists them: its default first, then the oldest first. */
function defaultFirst<T extends { id: string; createdAt: Date }>(
  list: T[],
  defaultId: string | undefined,
): T[] {
  return list.sort((a, b) => {
    if (a.id === defaultId) return -1;
    if (b.id === defaultId) return 1;
    return a.createdAt.getTime() - b.createdAt.getTime();
  });
}
