/**
 * @module `/tms/v1/instrumentidentifiers`: the card number vault (API-FACTS §3.1–3.3).
 *
 * The same card is the same identifier per merchant: 201 the first time, 200 with the same id
 * after. Deleting is refused with 409 while payment instruments use the identifier.
 */
import { Hono } from 'hono';
import {
  CreateInstrumentIdentifierRequest,
  PatchInstrumentIdentifierRequest,
} from '../../cybersource/tms/instrument-identifiers/schemas.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { checkCardNumber } from './card-number.ts';
import { MESSAGES, tmsError } from './errors.ts';
import { lookupToken, publicBase } from './lookup.ts';
import { iiPath, presentInstrumentIdentifier, presentPage } from './present.ts';
import { checkIfMatch, checkTokenQuery, etagOf, parseBody, parsePageQuery } from './request.ts';
import type { InstrumentIdentifier } from './store.ts';

/** Documented request fields the emulator does not emulate: bank accounts and network tokens. */
const UNSUPPORTED_ON_CREATE = [
  'bankAccount',
  'tokenizedCard',
  'type',
  'source',
  'pointOfSaleInformation',
  'tokenProvisioningInformation',
];
/** SPEC2020's PATCH example answers `unsupportedFields` for these. */
const UNSUPPORTED_ON_PATCH = ['card', 'bankAccount', 'billTo', 'tokenizedCard'];

const etag = (ii: InstrumentIdentifier) => etagOf(presentInstrumentIdentifier(ii, ''));

export function instrumentIdentifierRoutes({ state, config }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const tms = state.tms;
  const origin = publicBase(config);

  app.post('/tms/v1/instrumentidentifiers', async (c) => {
    const body = await parseBody(c, CreateInstrumentIdentifierRequest, UNSUPPORTED_ON_CREATE);
    if (!body.ok) return body.response;
    const { card, billTo, processingInformation } = body.value;
    const invalid = checkCardNumber(c, card.number, 'card');
    if (invalid) return invalid;
    const { ii, created } = tms.findOrCreateInstrumentIdentifier(
      c.get('merchantId'),
      card.number,
      state.now(),
    );
    // an existing identifier is returned as it is: a repeat POST never rewrites it
    if (created) {
      if (card.expirationMonth) ii.expirationMonth = card.expirationMonth;
      if (card.expirationYear) ii.expirationYear = card.expirationYear;
      if (billTo) ii.billTo = billTo;
      const previous =
        processingInformation?.authorizationOptions.initiator.merchantInitiatedTransaction
          .previousTransactionId;
      if (previous) ii.previousTransactionId = previous;
    }
    const answer = presentInstrumentIdentifier(ii, origin);
    c.header('Location', answer._links?.self.href ?? iiPath(ii.id));
    c.header('ETag', etag(ii));
    return jsonUtf8(c, answer, created ? 201 : 200);
  });

  app.get('/tms/v1/instrumentidentifiers/:id', (c) => {
    const badQuery = checkTokenQuery(c);
    if (badQuery) return badQuery;
    const found = lookupToken(c, tms, tms.instrumentIdentifiers, c.req.param('id'));
    if (!found.ok) return found.response;
    c.header('ETag', etag(found.value));
    return jsonUtf8(c, presentInstrumentIdentifier(found.value, origin), 200);
  });

  app.patch('/tms/v1/instrumentidentifiers/:id', async (c) => {
    const body = await parseBody(c, PatchInstrumentIdentifierRequest, UNSUPPORTED_ON_PATCH);
    if (!body.ok) return body.response;
    // ---- synchronous from here on: look up and write with no await between ----
    const found = lookupToken(c, tms, tms.instrumentIdentifiers, c.req.param('id'));
    if (!found.ok) return found.response;
    const ii = found.value;
    const stale = checkIfMatch(c, etag(ii));
    if (stale) return stale;
    ii.previousTransactionId =
      body.value.processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction.previousTransactionId;
    c.header('ETag', etag(ii));
    return jsonUtf8(c, presentInstrumentIdentifier(ii, origin), 200);
  });

  app.delete('/tms/v1/instrumentidentifiers/:id', (c) => {
    const found = lookupToken(c, tms, tms.instrumentIdentifiers, c.req.param('id'));
    if (!found.ok) return found.response;
    const ii = found.value;
    const stale = checkIfMatch(c, etag(ii));
    if (stale) return stale;
    if (tms.paymentInstrumentsOf(ii.id).length > 0) {
      return tmsError(
        c,
        409,
        [
          {
            type: 'instrumentIdentifierDeletionError',
            message: MESSAGES.instrumentIdentifierDeletionError,
          },
        ],
        {
          _links: {
            paymentInstruments: { href: `${origin}${iiPath(ii.id)}/paymentinstruments` },
          },
        },
      );
    }
    tms.deleteInstrumentIdentifier(ii);
    return c.body(null, 204);
  });

  app.get('/tms/v1/instrumentidentifiers/:id/paymentinstruments', (c) => {
    const found = lookupToken(c, tms, tms.instrumentIdentifiers, c.req.param('id'));
    if (!found.ok) return found.response;
    const page = parsePageQuery(c);
    if (!page.ok) return page.response;
    const { _links, ...counts } = presentPage(tms, tms.paymentInstrumentsOf(found.value.id), {
      ...page.value,
      href: `${origin}${iiPath(found.value.id)}/paymentinstruments`,
      origin,
    });
    // SPEC2020 (this list only): `object:"collection"` in the body, the total in `x-Total-Count`
    c.header('x-Total-Count', String(counts.total));
    return jsonUtf8(c, { _links, object: 'collection', ...counts }, 200);
  });

  return app;
}
