/**
 * @module `/tms/v2/customers/{id}/shipping-addresses`: a customer's shipping address tokens
 * (NODE CustomerShippingAddressApi.md; SAMPLES `Samples/TokenManagement/CustomerShippingAddress/`).
 *
 * Default rules mirror the payment instruments' (customer-payment-instrument-routes.ts): the
 * first address becomes the default [inferred]; `default: true` on create or PATCH moves it; the
 * default cannot be deleted while the customer has others ("the default Shipping Address cannot
 * be deleted without first selecting a new default", NODE docs; 409 `conflict` and its message
 * are ours); the last one can.
 */
import { type Context, Hono } from 'hono';
import {
  CreateShippingAddressRequest,
  PatchShippingAddressRequest,
} from '../../cybersource/tms/customers/schemas.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { MESSAGES, oneError } from './errors.ts';
import { customerToken, lookupToken } from './lookup.ts';
import {
  presentShippingAddress,
  presentShippingAddressPage,
  shippingAddressesPath,
} from './present.ts';
import { checkIfMatch, checkTokenQuery, etagOf, parseBody, parsePageQuery } from './request.ts';
import type { BillTo, ShippingAddress, TmsStore } from './store.ts';

const etag = (tms: TmsStore, sa: ShippingAddress) => etagOf(presentShippingAddress(tms, sa));

/** The given `shipTo` fields, without the keys zod leaves `undefined`. */
function shipToFields(shipTo: Record<string, string | undefined>): BillTo {
  return Object.fromEntries(Object.entries(shipTo).filter(([, v]) => v !== undefined));
}

export function customerShippingAddressRoutes({ state }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const tms = state.tms;
  const base = '/tms/v2/customers/:customerId/shipping-addresses';

  const customerOf = (c: Context<EmulatorEnv>) =>
    lookupToken(c, tms, tms.customers, c.req.param('customerId') ?? '');

  const addressOf = (c: Context<EmulatorEnv>) =>
    customerToken(c, tms, tms.shippingAddresses, 'shippingAddressId');

  app.post(base, async (c) => {
    const body = await parseBody(c, CreateShippingAddressRequest);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const customer = customerOf(c);
    if (!customer.ok) return customer.response;
    const sa = tms.createShippingAddress(
      customer.value.merchantId,
      customer.value.id,
      shipToFields(body.value.shipTo),
      body.value.default === true,
      state.now(),
    );
    c.header('ETag', etag(tms, sa));
    return jsonUtf8(c, presentShippingAddress(tms, sa), 201);
  });

  app.get(base, (c) => {
    const customer = customerOf(c);
    if (!customer.ok) return customer.response;
    const page = parsePageQuery(c);
    if (!page.ok) return page.response;
    const list = presentShippingAddressPage(tms, tms.customerShippingAddresses(customer.value.id), {
      ...page.value,
      href: shippingAddressesPath(customer.value.id),
    });
    return jsonUtf8(c, list, 200);
  });

  app.get(`${base}/:shippingAddressId`, (c) => {
    const badQuery = checkTokenQuery(c);
    if (badQuery) return badQuery;
    const found = addressOf(c);
    if (!found.ok) return found.response;
    const [, sa] = found.value;
    c.header('ETag', etag(tms, sa));
    return jsonUtf8(c, presentShippingAddress(tms, sa), 200);
  });

  app.patch(`${base}/:shippingAddressId`, async (c) => {
    const body = await parseBody(c, PatchShippingAddressRequest);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const found = addressOf(c);
    if (!found.ok) return found.response;
    const [customer, sa] = found.value;
    const stale = checkIfMatch(c, etag(tms, sa));
    if (stale) return stale;
    const { default: wantDefault, shipTo } = body.value;
    // the default moves only by naming a new one; un-defaulting would leave the customer without
    if (wantDefault === false && customer.defaultShippingAddressId === sa.id) {
      return oneError(c, 400, 'invalidFields', MESSAGES.invalidFields, [{ name: 'default' }]);
    }
    // field by field, as a payment instrument's `billTo` (payment-instrument-fields.ts)
    if (shipTo) sa.shipTo = { ...sa.shipTo, ...shipToFields(shipTo) };
    if (wantDefault === true) customer.defaultShippingAddressId = sa.id;
    c.header('ETag', etag(tms, sa));
    return jsonUtf8(c, presentShippingAddress(tms, sa), 200);
  });

  app.delete(`${base}/:shippingAddressId`, (c) => {
    const found = addressOf(c);
    if (!found.ok) return found.response;
    const [customer, sa] = found.value;
    const stale = checkIfMatch(c, etag(tms, sa));
    if (stale) return stale;
    const others = tms.customerShippingAddresses(customer.id).length > 1;
    if (customer.defaultShippingAddressId === sa.id && others) {
      return oneError(c, 409, 'conflict', MESSAGES.defaultShippingAddressDeletion);
    }
    tms.deleteShippingAddress(sa);
    return c.body(null, 204);
  });

  return app;
}
