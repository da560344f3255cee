/**
 * @module `/tms/v2/customers/{id}/payment-instruments`: a customer's saved cards.
 *
 * Default rules (API-FACTS §3.3; NODE CustomerPaymentInstrumentApi.md): the first instrument
 * becomes the default; `default: true` on create or PATCH moves it; the default cannot be
 * deleted while the customer has others (409 `conflict`, our message); the last one can.
 */
import { type Context, Hono } from 'hono';
import {
  CreateCustomerPaymentInstrumentRequest,
  PatchCustomerPaymentInstrumentRequest,
} from '../../cybersource/tms/customers/schemas.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { MESSAGES, oneError } from './errors.ts';
import { customerToken, linkedInstrumentIdentifier, lookupToken } from './lookup.ts';
import { applyPatch, newFields } from './payment-instrument-fields.ts';
import { paymentInstrumentEtag, UNSUPPORTED_PI_FIELDS } from './payment-instrument-routes.ts';
import { customerPath, presentPage, presentPaymentInstrument } from './present.ts';
import { checkIfMatch, checkTokenQuery, parseBody, parsePageQuery } from './request.ts';
import type { Customer, TmsStore } from './store.ts';

export function customerPaymentInstrumentRoutes({ state }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const tms = state.tms;
  const base = '/tms/v2/customers/:customerId/payment-instruments';

  const customerOf = (c: Context<EmulatorEnv>) =>
    lookupToken(c, tms, tms.customers, c.req.param('customerId') ?? '');

  const instrumentOf = (c: Context<EmulatorEnv>) =>
    customerToken(c, tms, tms.paymentInstruments, 'paymentInstrumentId');

  app.post(base, async (c) => {
    const body = await parseBody(c, CreateCustomerPaymentInstrumentRequest, UNSUPPORTED_PI_FIELDS);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const customer = customerOf(c);
    if (!customer.ok) return customer.response;
    const { instrumentIdentifier, default: makeDefault, ...fields } = body.value;
    const linked = linkedInstrumentIdentifier(c, tms, instrumentIdentifier.id);
    if (!linked.ok) return linked.response;
    const pi = tms.createPaymentInstrument(
      customer.value.merchantId,
      {
        customerId: customer.value.id,
        instrumentIdentifierId: linked.value.id,
        ...newFields(fields),
      },
      makeDefault === true,
      state.now(),
    );
    c.header('ETag', paymentInstrumentEtag(tms, pi));
    return jsonUtf8(c, presentPaymentInstrument(tms, pi, ''), 201);
  });

  app.get(base, (c) => {
    const customer = customerOf(c);
    if (!customer.ok) return customer.response;
    const page = parsePageQuery(c);
    if (!page.ok) return page.response;
    const list = presentPage(tms, tms.customerPaymentInstruments(customer.value.id), {
      ...page.value,
      href: `${customerPath(customer.value.id)}/payment-instruments`,
      origin: '',
    });
    return jsonUtf8(c, list, 200);
  });

  app.get(`${base}/:paymentInstrumentId`, (c) => {
    const badQuery = checkTokenQuery(c);
    if (badQuery) return badQuery;
    const found = instrumentOf(c);
    if (!found.ok) return found.response;
    const [, pi] = found.value;
    c.header('ETag', paymentInstrumentEtag(tms, pi));
    return jsonUtf8(c, presentPaymentInstrument(tms, pi, ''), 200);
  });

  app.patch(`${base}/:paymentInstrumentId`, async (c) => {
    const body = await parseBody(c, PatchCustomerPaymentInstrumentRequest, UNSUPPORTED_PI_FIELDS);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const found = instrumentOf(c);
    if (!found.ok) return found.response;
    const [customer, pi] = found.value;
    const stale = checkIfMatch(c, paymentInstrumentEtag(tms, pi));
    if (stale) return stale;
    const { instrumentIdentifier, default: wantDefault, ...fields } = body.value;
    // the default moves only by naming a new one; un-defaulting would leave the customer without
    if (wantDefault === false && customer.defaultPaymentInstrumentId === pi.id) {
      return oneError(c, 400, 'invalidFields', MESSAGES.invalidFields, [{ name: 'default' }]);
    }
    if (instrumentIdentifier) {
      const linked = linkedInstrumentIdentifier(c, tms, instrumentIdentifier.id);
      if (!linked.ok) return linked.response;
      pi.instrumentIdentifierId = linked.value.id;
    }
    applyPatch(pi, fields);
    if (wantDefault === true) customer.defaultPaymentInstrumentId = pi.id;
    c.header('ETag', paymentInstrumentEtag(tms, pi));
    return jsonUtf8(c, presentPaymentInstrument(tms, pi, ''), 200);
  });

  app.delete(`${base}/:paymentInstrumentId`, (c) => {
    const found = instrumentOf(c);
    if (!found.ok) return found.response;
    const [customer, pi] = found.value;
    const stale = checkIfMatch(c, paymentInstrumentEtag(tms, pi));
    if (stale) return stale;
    if (customer.defaultPaymentInstrumentId === pi.id && countOf(tms, customer) > 1) {
      return oneError(c, 409, 'conflict', MESSAGES.defaultPaymentInstrumentDeletion);
    }
    tms.deletePaymentInstrument(pi);
    return c.body(null, 204);
  });

  return app;
}

function countOf(tms: TmsStore, customer: Customer): number {
  return tms.customerPaymentInstruments(customer.id).length;
}
