/**
 * @module `/tms/v2/customers`: create, read, update (incl. the default payment instrument and
 * shipping address), delete with everything the customer owns (API-FACTS §3.3; NODE CustomerApi.md).
 */
import { Hono } from 'hono';
import {
  CreateCustomerRequest,
  PatchCustomerRequest,
} from '../../cybersource/tms/customers/schemas.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { MESSAGES, oneError } from './errors.ts';
import { lookupToken } from './lookup.ts';
import { presentCustomer } from './present.ts';
import { checkIfMatch, checkTokenQuery, etagOf, parseBody } from './request.ts';
import type { Customer, TmsStore } from './store.ts';

/** A new customer has no instruments or addresses yet, so it cannot name a default one. */
const UNSUPPORTED_ON_CREATE = ['defaultPaymentInstrument', 'defaultShippingAddress'];

const etag = (tms: TmsStore, customer: Customer) => etagOf(presentCustomer(tms, customer));

type CustomerFields = Omit<
  Customer,
  'id' | 'merchantId' | 'createdAt' | 'defaultPaymentInstrumentId' | 'defaultShippingAddressId'
>;

/** Copies the given customer fields; a given object replaces the stored one. */
function customerFields(body: CreateCustomerRequest): CustomerFields {
  const out: CustomerFields = {};
  const {
    buyerInformation,
    clientReferenceInformation,
    merchantDefinedInformation,
    objectInformation,
  } = body;
  if (buyerInformation) {
    out.buyerInformation = {
      ...(buyerInformation.merchantCustomerID
        ? { merchantCustomerID: buyerInformation.merchantCustomerID }
        : {}),
      ...(buyerInformation.email ? { email: buyerInformation.email } : {}),
    };
  }
  if (clientReferenceInformation)
    out.clientReferenceInformation = { code: clientReferenceInformation.code };
  if (merchantDefinedInformation)
    out.merchantDefinedInformation = merchantDefinedInformation.map((f) => ({ ...f }));
  if (objectInformation) {
    out.objectInformation = {
      ...(objectInformation.title ? { title: objectInformation.title } : {}),
      ...(objectInformation.comment ? { comment: objectInformation.comment } : {}),
    };
  }
  return out;
}

export function customerRoutes({ state }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const tms = state.tms;

  app.post('/tms/v2/customers', async (c) => {
    const body = await parseBody(c, CreateCustomerRequest, UNSUPPORTED_ON_CREATE);
    if (!body.ok) return body.response;
    const customer = tms.createCustomer(
      c.get('merchantId'),
      customerFields(body.value),
      state.now(),
    );
    c.header('ETag', etag(tms, customer));
    return jsonUtf8(c, presentCustomer(tms, customer), 201);
  });

  app.get('/tms/v2/customers/:id', (c) => {
    const badQuery = checkTokenQuery(c);
    if (badQuery) return badQuery;
    const found = lookupToken(c, tms, tms.customers, c.req.param('id'));
    if (!found.ok) return found.response;
    c.header('ETag', etag(tms, found.value));
    return jsonUtf8(c, presentCustomer(tms, found.value), 200);
  });

  app.patch('/tms/v2/customers/:id', async (c) => {
    const body = await parseBody(c, PatchCustomerRequest);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const found = lookupToken(c, tms, tms.customers, c.req.param('id'));
    if (!found.ok) return found.response;
    const customer = found.value;
    const stale = checkIfMatch(c, etag(tms, customer));
    if (stale) return stale;
    const wanted = body.value.defaultPaymentInstrument?.id;
    if (wanted !== undefined) {
      const pi = tms.paymentInstruments.get(wanted);
      // only one of this customer's own instruments can be its default
      if (!pi || pi.customerId !== customer.id) {
        return oneError(c, 400, 'invalidFields', MESSAGES.invalidFields, [
          { name: 'id', location: 'defaultPaymentInstrument' },
        ]);
      }
    }
    const wantedAddress = body.value.defaultShippingAddress?.id;
    const sa = wantedAddress === undefined ? undefined : tms.shippingAddresses.get(wantedAddress);
    // only one of this customer's own addresses (SAMPLES update-customers-default-shipping-address.js)
    if (wantedAddress !== undefined && sa?.customerId !== customer.id) {
      return oneError(c, 400, 'invalidFields', MESSAGES.invalidFields, [
        { name: 'id', location: 'defaultShippingAddress' },
      ]);
    }
    // both checked before either is written, so a refused PATCH changes nothing
    if (wanted !== undefined) customer.defaultPaymentInstrumentId = wanted;
    if (sa) customer.defaultShippingAddressId = sa.id;
    Object.assign(customer, customerFields(body.value));
    c.header('ETag', etag(tms, customer));
    return jsonUtf8(c, presentCustomer(tms, customer), 200);
  });

  app.delete('/tms/v2/customers/:id', (c) => {
    const found = lookupToken(c, tms, tms.customers, c.req.param('id'));
    if (!found.ok) return found.response;
    const stale = checkIfMatch(c, etag(tms, found.value));
    if (stale) return stale;
    tms.deleteCustomer(found.value);
    return c.body(null, 204);
  });

  return app;
}
