/**
 * @module The Token Management Service endpoint group (API-FACTS §3): instrument identifiers,
 * stand-alone payment instruments, customers and their payment instruments and shipping
 * addresses. Requests arrive
 * authenticated (`merchantId`); every token is visible to its own merchant only.
 */
import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { tmsId } from '../ids.ts';
import { customerPaymentInstrumentRoutes } from './customer-payment-instrument-routes.ts';
import { customerRoutes } from './customer-routes.ts';
import { customerShippingAddressRoutes } from './customer-shipping-address-routes.ts';
import { instrumentIdentifierRoutes } from './instrument-identifier-routes.ts';
import { paymentInstrumentRoutes } from './payment-instrument-routes.ts';
import { checkProfile } from './request.ts';

export function tmsRoutes(deps: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  app.use('/tms/*', async (c, next) => {
    // SPEC2020 lists `uniqueTransactionID` on every TMS answer
    const badProfile = checkProfile(c);
    if (badProfile) {
      badProfile.headers.set('uniqueTransactionID', tmsId());
      return badProfile;
    }
    await next();
    c.res.headers.set('uniqueTransactionID', tmsId());
    return undefined;
  });
  app.route('/', instrumentIdentifierRoutes(deps));
  app.route('/', paymentInstrumentRoutes(deps));
  app.route('/', customerRoutes(deps));
  app.route('/', customerPaymentInstrumentRoutes(deps));
  app.route('/', customerShippingAddressRoutes(deps));
  return app;
}
