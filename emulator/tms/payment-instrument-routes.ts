/**
 * @module `/tms/v1/paymentinstruments`: stand-alone payment instruments, which belong to no
 * customer (NODE PaymentInstrumentApi.md). A customer's instrument is not reachable here: the
 * emulator answers 404 for it (README "where we chose").
 */
import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { checkCardNumber } from './card-number.ts';
import { MESSAGES, oneError } from './errors.ts';
import { linkedInstrumentIdentifier, lookupToken, publicBase } from './lookup.ts';
import { applyPatch, newFields } from './payment-instrument-fields.ts';
import {
  CreateStandalonePaymentInstrument,
  PatchStandalonePaymentInstrument,
} from './payment-instrument-schemas.ts';
import { presentPaymentInstrument } from './present.ts';
import { checkIfMatch, checkTokenQuery, etagOf, parseBody } from './request.ts';
import type { PaymentInstrument, TmsStore } from './store.ts';

/** Documented fields not emulated (bank accounts, pinless debit, network tokens, customer-only `default`). */
export const UNSUPPORTED_PI_FIELDS = [
  'bankAccount',
  'processingInformation',
  'merchantInformation',
  'type',
];

const standalone = (pi: PaymentInstrument) => pi.customerId === undefined;

export function paymentInstrumentEtag(tms: TmsStore, pi: PaymentInstrument): string {
  return etagOf(presentPaymentInstrument(tms, pi, ''));
}

export function paymentInstrumentRoutes({ state, config }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const tms = state.tms;
  const origin = publicBase(config);

  app.post('/tms/v1/paymentinstruments', async (c) => {
    const body = await parseBody(c, CreateStandalonePaymentInstrument, [
      ...UNSUPPORTED_PI_FIELDS,
      'default',
    ]);
    if (!body.ok) return body.response;
    const { instrumentIdentifier, ...fields } = body.value;
    const merchantId = c.get('merchantId');
    // exactly one way to name the card (SPEC2020 "invalid combination of Instrument Identifier fields")
    if (instrumentIdentifier.id !== undefined && instrumentIdentifier.card !== undefined) {
      return oneError(c, 400, 'invalidCombination', MESSAGES.invalidCombination, [
        { name: 'id', location: 'instrumentIdentifier' },
        { name: 'card', location: 'instrumentIdentifier' },
      ]);
    }
    let iiId: string;
    if (instrumentIdentifier.card !== undefined) {
      const number = instrumentIdentifier.card.number;
      const invalid = checkCardNumber(c, number, 'instrumentIdentifier.card');
      if (invalid) return invalid;
      iiId = tms.findOrCreateInstrumentIdentifier(merchantId, number, state.now()).ii.id;
    } else if (instrumentIdentifier.id !== undefined) {
      const linked = linkedInstrumentIdentifier(c, tms, instrumentIdentifier.id);
      if (!linked.ok) return linked.response;
      iiId = linked.value.id;
    } else {
      return oneError(c, 400, 'missingFields', MESSAGES.missingFields, [
        { name: 'id', location: 'instrumentIdentifier' },
      ]);
    }
    const pi = tms.createPaymentInstrument(
      merchantId,
      { instrumentIdentifierId: iiId, ...newFields(fields) },
      false,
      state.now(),
    );
    c.header('ETag', paymentInstrumentEtag(tms, pi));
    return jsonUtf8(c, presentPaymentInstrument(tms, pi, origin), 201);
  });

  app.get('/tms/v1/paymentinstruments/:id', (c) => {
    const badQuery = checkTokenQuery(c);
    if (badQuery) return badQuery;
    const found = lookupToken(c, tms, tms.paymentInstruments, c.req.param('id'), standalone);
    if (!found.ok) return found.response;
    c.header('ETag', paymentInstrumentEtag(tms, found.value));
    return jsonUtf8(c, presentPaymentInstrument(tms, found.value, origin), 200);
  });

  app.patch('/tms/v1/paymentinstruments/:id', async (c) => {
    // `default`, boolean or the string "true", is no SPEC2020 field of this endpoint, and a
    // stand-alone instrument has no customer to be the default of: 400 `unsupportedFields`
    const body = await parseBody(c, PatchStandalonePaymentInstrument, [
      ...UNSUPPORTED_PI_FIELDS,
      'default',
    ]);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const found = lookupToken(c, tms, tms.paymentInstruments, c.req.param('id'), standalone);
    if (!found.ok) return found.response;
    const pi = found.value;
    const stale = checkIfMatch(c, paymentInstrumentEtag(tms, pi));
    if (stale) return stale;
    const { instrumentIdentifier, ...fields } = body.value;
    if (instrumentIdentifier) {
      const linked = linkedInstrumentIdentifier(c, tms, instrumentIdentifier.id);
      if (!linked.ok) return linked.response;
      pi.instrumentIdentifierId = linked.value.id;
    }
    applyPatch(pi, fields);
    c.header('ETag', paymentInstrumentEtag(tms, pi));
    return jsonUtf8(c, presentPaymentInstrument(tms, pi, origin), 200);
  });

  app.delete('/tms/v1/paymentinstruments/:id', (c) => {
    const found = lookupToken(c, tms, tms.paymentInstruments, c.req.param('id'), standalone);
    if (!found.ok) return found.response;
    const stale = checkIfMatch(c, paymentInstrumentEtag(tms, found.value));
    if (stale) return stale;
    tms.deletePaymentInstrument(found.value);
    return c.body(null, 204);
  });

  return app;
}
