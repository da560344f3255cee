/**
 * @module `/tms/v2/customers` and their payment instruments (API-FACTS §3.1, §3.3; NODE
 * `PostCustomerRequest`, `PatchCustomerRequest`, `PostCustomerPaymentInstrumentRequest`).
 */
import { z } from 'zod';
import { Link } from '../../envelopes.ts';
import { BillTo, Metadata, pageBody, soft } from '../common.ts';
import {
  BuyerInformation,
  PaymentInstrumentBody,
  PaymentInstrumentCard,
} from '../payment-instruments/schemas.ts';

/** NODE `Tmsv2tokenizeTokenInformationCustomerMerchantDefinedInformation`: data1–4, sensitive1–4. */
export const MerchantDefinedField = z.strictObject({
  name: z.enum([
    'data1',
    'data2',
    'data3',
    'data4',
    'sensitive1',
    'sensitive2',
    'sensitive3',
    'sensitive4',
  ]),
  value: z.string().min(1).max(100),
});

const CustomerFields = {
  buyerInformation: z
    .strictObject({
      merchantCustomerID: z.string().min(1).max(100).optional(),
      email: z.email().max(255).optional(),
    })
    .optional(),
  clientReferenceInformation: z.strictObject({ code: z.string().min(1).max(50) }).optional(),
  merchantDefinedInformation: z.array(MerchantDefinedField).max(8).optional(),
  objectInformation: z
    .strictObject({
      title: z.string().min(1).max(60).optional(),
      comment: z.string().min(1).max(150).optional(),
    })
    .optional(),
};

/** `POST /tms/v2/customers`; a new customer has no instruments, hence no default to name. */
export const CreateCustomerRequest = z.strictObject(CustomerFields);
export type CreateCustomerRequest = z.infer<typeof CreateCustomerRequest>;

/**
 * `PATCH /tms/v2/customers/{id}`, including a new default instrument (API-FACTS §3.3) or
 * shipping address (SAMPLES `update-customers-default-shipping-address.js`).
 */
export const PatchCustomerRequest = z.strictObject({
  ...CustomerFields,
  defaultPaymentInstrument: z.strictObject({ id: z.string().min(1) }).optional(),
  defaultShippingAddress: z.strictObject({ id: z.string().min(1) }).optional(),
});
export type PatchCustomerRequest = z.infer<typeof PatchCustomerRequest>;

/**
 * A customer's shipping address: NODE `DefaultShippingAddressShipTo` (older releases
 * `Tmsv2customersEmbeddedDefaultShippingAddressShipTo`) has exactly the fields of a payment
 * instrument's `billTo`, so the same rule applies; the limits are `billTo`'s [inferred: no
 * published limits for `shipTo`].
 */
export const ShippingAddressShipTo = BillTo;
export type ShippingAddressShipTo = z.infer<typeof ShippingAddressShipTo>;

/**
 * `POST /tms/v2/customers/{id}/shipping-addresses` (NODE `PostCustomerShippingAddressRequest`,
 * SAMPLES `create-customer-default-shipping-address.js`). `shipTo` is required here: the model
 * marks it optional, but an address token without an address is useless [inferred].
 */
export const CreateShippingAddressRequest = z.strictObject({
  default: z.boolean().optional(),
  shipTo: ShippingAddressShipTo,
});
export type CreateShippingAddressRequest = z.infer<typeof CreateShippingAddressRequest>;

/** `PATCH …/shipping-addresses/{id}` (NODE `PatchCustomerShippingAddressRequest`). */
export const PatchShippingAddressRequest = z.strictObject({
  default: z.boolean().optional(),
  shipTo: ShippingAddressShipTo.optional(),
});
export type PatchShippingAddressRequest = z.infer<typeof PatchShippingAddressRequest>;

/** A customer's shipping address as answered (NODE `DefaultShippingAddress`). */
export const ShippingAddressBody = z.object({
  _links: z.object({ self: Link, customer: Link.optional() }).optional(),
  id: z.string(),
  default: z.boolean().optional(),
  shipTo: z.record(z.string(), z.string()).optional(),
  metadata: Metadata.optional(),
});
export type ShippingAddressBody = z.infer<typeof ShippingAddressBody>;

/** `GET …/shipping-addresses` (NODE `ShippingAddressListForCustomer`); `_embedded` absent when empty. */
export const ShippingAddressListBody = pageBody('shippingAddresses', ShippingAddressBody);
export type ShippingAddressListBody = z.infer<typeof ShippingAddressListBody>;

export const Customer = z.object({
  _links: z
    .object({ self: Link, paymentInstruments: Link.optional(), shippingAddress: Link.optional() })
    .optional(),
  id: z.string(),
  buyerInformation: z
    .object({ merchantCustomerID: z.string().optional(), email: z.string().optional() })
    .optional(),
  clientReferenceInformation: z.object({ code: z.string().optional() }).optional(),
  merchantDefinedInformation: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  objectInformation: z
    .object({ title: z.string().optional(), comment: z.string().optional() })
    .optional(),
  defaultPaymentInstrument: z.object({ id: z.string() }).optional(),
  // fail-soft (common.ts): the stub reads customers with this schema and never uses these two
  defaultShippingAddress: soft(z.object({ id: z.string() })),
  metadata: Metadata.optional(),
  _embedded: z
    .object({
      defaultPaymentInstrument: PaymentInstrumentBody.optional(),
      defaultShippingAddress: soft(ShippingAddressBody),
    })
    .optional(),
});
export type Customer = z.infer<typeof Customer>;

/** `POST /tms/v2/customers/{id}/payment-instruments` (API-FACTS §3.3 example). */
export const CreateCustomerPaymentInstrumentRequest = z.strictObject({
  default: z.boolean().optional(),
  card: PaymentInstrumentCard,
  billTo: BillTo.optional(),
  buyerInformation: BuyerInformation.optional(),
  instrumentIdentifier: z.strictObject({ id: z.string().min(1) }),
});
export type CreateCustomerPaymentInstrumentRequest = z.infer<
  typeof CreateCustomerPaymentInstrumentRequest
>;

/** `PATCH …/payment-instruments/{id}`: fields merged; `default: true` moves the default. */
export const PatchCustomerPaymentInstrumentRequest = z.strictObject({
  default: z.boolean().optional(),
  card: PaymentInstrumentCard.partial().optional(),
  billTo: BillTo.optional(),
  buyerInformation: BuyerInformation.optional(),
  instrumentIdentifier: z.strictObject({ id: z.string().min(1) }).optional(),
});
export type PatchCustomerPaymentInstrumentRequest = z.infer<
  typeof PatchCustomerPaymentInstrumentRequest
>;
