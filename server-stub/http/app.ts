/**
 * @module The stub's HTTP surface as a Hono app (web-standard Request/Response, so tests call
 * `app.request` with no socket). Order: security headers → request id → client address →
 * `Connection: close` while draining → widget bundle → health probe → static hook →
 * /api/admin (bearer) or /api shopper (on/off switch → origin → identity) → routes; one error
 * renderer; a request no route takes is 405 with `Allow` when its path takes other methods.
 */
import { resolve } from 'node:path';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CheckoutContext } from '../checkout/context.ts';
import { StubError, stubError } from '../errors.ts';
import type { ShopperIdentity } from '../identity/shopper.ts';
import { requestIp } from '../limits/request-ip.ts';
import { MAX_BODY_BYTES } from './body.ts';
import { closeWhileDraining, type Drain } from './drain.ts';
import type { StubEnv } from './env.ts';
import type { IdempotencyDeps } from './idempotency.ts';
import { methodTable, optionsAllow, unmatched } from './method-not-allowed.ts';
import { adminOnly, checkoutEnabled, noStore, originGuard, requestContext } from './middleware.ts';
import { adminRoutes } from './routes/admin.ts';
import { healthRoutes } from './routes/health.ts';
import { shopperRoutes } from './routes/shopper.ts';
import { widgetRoutes } from './routes/widget.ts';
import { securityHeaders } from './security/headers.ts';

export interface AppDeps {
  ctx: CheckoutContext;
  identity: ShopperIdentity;
  idempotency: IdempotencyDeps;
  adminToken: string;
  /** Called first: where the demo launcher serves the demo page. */
  mount?: ((app: Hono<StubEnv>) => void) | undefined;
  /** The built widget (`npm run build:widget`), served at `/widget/`. */
  widgetDir?: string | undefined;
  /** Started on SIGTERM (`shutdown.ts`): the probe fails, connections close after answering. */
  drain: Drain;
}

const WIDGET_DIR = resolve(import.meta.dirname, '../../dist/widget');

export function buildApp(deps: AppDeps): Hono<StubEnv> {
  const { ctx } = deps;
  const app = new Hono<StubEnv>();
  // First, so every answer has them: errors, 404s and the mounted demo page (RELIABILITY-FACTS §3.3).
  app.use(
    '*',
    securityHeaders({
      baseUrl: ctx.config.baseUrl,
      frameAncestors: ctx.config.frameAncestors,
      publicOrigin: ctx.config.publicOrigin,
      reportOnly: ctx.config.cspReportOnly,
    }),
  );
  app.use('*', requestContext(ctx.logger, ctx.now));
  app.use('*', requestIp(ctx.config.trustProxy));
  app.use('*', closeWhileDraining(deps.drain));
  app.route('/widget', widgetRoutes(deps.widgetDir ?? WIDGET_DIR));
  // Outside /api: no shopper cookie, origin check, body limit or checkout switch applies.
  app.route('/healthz', healthRoutes(ctx.db, deps.drain));
  deps.mount?.(app);

  app.use('/api/*', noStore());
  // After the caller is known: a merchant's token, or a shopper's allowed origin, so the 400 of
  // an oversized body carries the CORS headers its page needs to read it.
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw stubError('body_too_large', { details: { maxBytes: MAX_BODY_BYTES } });
    },
  });
  app.use('/api/admin/*', adminOnly(deps.adminToken));
  app.use('/api/admin/*', limitBody);
  app.route('/api/admin', adminRoutes(ctx, deps.idempotency, deps.drain.signal));
  // A merchant path that names nothing ends here, not in the shopper routes' middleware (which
  // would mint a shopper cookie and answer their origin or disabled-checkout errors).
  const allowedFor = methodTable(app);
  const options = (c: Context<StubEnv>) => {
    const allow = c.req.method === 'OPTIONS' ? optionsAllow(allowedFor, c.req.path) : undefined;
    return allow ? c.body(null, 204, { allow }) : undefined;
  };
  app.all('/api/admin/*', (c) => {
    const answered = options(c);
    if (answered) return answered;
    throw unmatched(allowedFor, c.req.path, c.req.method);
  });

  const shopper = new Hono<StubEnv>();
  // The origin first: an allowed site's preflight and its 503 `checkout_disabled` carry CORS
  // headers, so the widget there can read the code instead of seeing a network error.
  shopper.use(
    '*',
    originGuard(
      {
        allowed: [ctx.config.publicOrigin, ...ctx.config.allowedSites],
        crossSite: ctx.config.allowedSites,
      },
      // Capture contexts are for browsers on our pages only (DESIGN.md "Stub").
      (method, path) => method === 'POST' && path === '/api/checkout/sessions',
    ),
  );
  shopper.use('*', limitBody);
  shopper.use(
    '*',
    checkoutEnabled(() => ctx.config.enabled),
  );
  shopper.route('/', shopperRoutes(ctx, deps.identity, deps.idempotency));
  app.route('/api', shopper);

  app.notFound((c) => {
    const answered = options(c);
    if (answered) return answered;
    const err = unmatched(allowedFor, c.req.path, c.req.method);
    return c.json(err.toBody(), err.status, err.headers);
  });
  app.onError((err, c) => {
    if (err instanceof StubError) return c.json(err.toBody(), err.status, err.headers);
    c.get('log')?.error({ err: { name: err.name, message: err.message } }, 'unhandled error');
    return c.json(stubError('internal_error').toBody(), 500);
  });
  return app;
}
