/**
 * @module Shopper endpoints (DESIGN.md "Stub"): catalog, checkout sessions, payments, saved
 * payment methods, their own subscriptions (list, cancel, change the card). The shopper is
 * whoever the identity hook says; every lookup is scoped to them.
 */
import { type Context, Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { cancelRenewals } from '../../checkout/cancel.ts';
import type { CheckoutContext } from '../../checkout/context.ts';
import { pay } from '../../checkout/pay.ts';
import {
  listPaymentMethods,
  makeDefaultPaymentMethod,
  removePaymentMethod,
} from '../../checkout/payment-methods.ts';
import { resumeRenewals } from '../../checkout/resume.ts';
import { resumeCheckout, startCheckout } from '../../checkout/sessions.ts';
import { changeCard } from '../../checkout/subscription-card.ts';
import { canceledView, subscriptionView } from '../../checkout/views.ts';
import type { ShopperIdentity } from '../../identity/shopper.ts';
import { minorUnits } from '../../money.ts';
import { listShopperSubscriptions } from '../../store/subscriptions.ts';
import { readBody, readParam, readQuery } from '../body.ts';
import type { StubEnv } from '../env.ts';
import { type IdempotencyDeps, idempotent, type Outcome, unstartedOn } from '../idempotency.ts';
import {
  CancelBody,
  EmptyBody,
  NoQuery,
  PathId,
  PaymentBody,
  PaymentBodyWithBilling,
  ResumeBody,
  SessionBody,
  SubscriptionCardBody,
} from '../schemas.ts';

/** A shopper's list is short; the newest this many. */
const SUBSCRIPTIONS_LISTED = 100;

export function shopperRoutes(
  ctx: CheckoutContext,
  identity: ShopperIdentity,
  idem: IdempotencyDeps,
): Hono<StubEnv> {
  const app = new Hono<StubEnv>();

  app.use('*', async (c, next) => {
    // A request no route answers (a 404, an OPTIONS) is nobody's: identifying it could set a
    // new shopper cookie on an answer that does nothing (README "Who pays": writes only).
    if (matchedRoutes(c).some((r) => r.method !== 'ALL')) {
      c.set('shopperId', await identity.identify(c));
    }
    await next();
  });

  app.get('/catalog', (c) => {
    readQuery(c, NoQuery);
    const { currency } = ctx.config;
    return c.json({
      currency,
      minorUnits: minorUnits(currency),
      products: ctx.catalog.products,
      plans: ctx.catalog.plans,
    });
  });

  app.post('/checkout/sessions', async (c) => {
    readQuery(c, NoQuery);
    const body = await readBody(c, SessionBody, { emptyAllowed: true });
    const shopperId = c.get('shopperId');
    const requestId = c.get('requestId');
    return idempotent(c, idem, `shopper:${shopperId}`, body, c.get('log'), async () => {
      // A page view soon after another gets its unpaid session again: no capture context made,
      // so nothing counted against the shopper's allowance.
      const resumed = c.get('freshShopper')
        ? undefined
        : await resumeCheckout(ctx, shopperId, requestId);
      // Not counted: the sessions limit guards what a card tester gains from a new session (a
      // capture context made by CyberSource, a fresh decline cap), and a resumed one is neither;
      // counting it would spend a shopper's allowance on reloads and tabs. It changed nothing
      // either, so its key is given back (a retry resumes again, or starts a session that is
      // counted): with a row kept per key, one cookie could grow the table without limit.
      if (resumed) return { status: 201, body: resumed, unstarted: true };
      // Inside: a replay never runs this, so it is never counted twice (RELIABILITY-FACTS §4).
      ctx.limits.admit('sessions', { shopperId, ip: c.get('clientIp') }, c.get('log'));
      // Sent again after its answer expired, a new session: no money moves, so its key goes
      // then rather than staying as a tombstone (one per page view).
      return {
        status: 201,
        body: await startCheckout(ctx, shopperId, requestId),
        forgettable: true,
      };
    });
  });

  app.post('/checkout/payments', async (c) => {
    readQuery(c, NoQuery);
    const body: PaymentBody = await readBody(
      c,
      ctx.config.requireBillingAddress ? PaymentBodyWithBilling : PaymentBody,
    );
    const shopperId = c.get('shopperId');
    const who = { shopperId, ip: c.get('clientIp') };
    return idempotent(c, idem, `shopper:${shopperId}`, body, c.get('log'), async () => {
      ctx.limits.admit('payments', who, c.get('log'));
      return { status: 201, body: await pay(ctx, shopperId, body, c.get('requestId'), who.ip) };
    });
  });

  /**
   * Counts a saved-card request against its IP and shopper limits (`limits/rules.ts` `cards`):
   * each calls TMS. After the input is read, so a malformed request costs nothing. Cancel and
   * resume count there too: no TMS call, but each writes a row (the answer under its key).
   */
  const admitCards = (c: Context<StubEnv>) =>
    ctx.limits.admit(
      'cards',
      { shopperId: c.get('shopperId'), ip: c.get('clientIp') },
      c.get('log'),
    );

  app.get('/payment-methods', async (c) => {
    readQuery(c, NoQuery);
    admitCards(c);
    return c.json({
      paymentMethods: await listPaymentMethods(ctx, c.get('shopperId'), c.get('requestId')),
    });
  });

  app.delete('/payment-methods/:id', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    await readBody(c, EmptyBody, { emptyAllowed: true });
    admitCards(c);
    await removePaymentMethod(ctx, c.get('shopperId'), id, c.get('requestId'));
    return c.body(null, 204);
  });

  app.put('/payment-methods/:id/default', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    await readBody(c, EmptyBody, { emptyAllowed: true });
    admitCards(c);
    const method = await makeDefaultPaymentMethod(ctx, c.get('shopperId'), id, c.get('requestId'));
    return c.json({ paymentMethod: method });
  });

  app.get('/subscriptions', async (c) => {
    readQuery(c, NoQuery);
    const rows = await listShopperSubscriptions(ctx.db, c.get('shopperId'), SUBSCRIPTIONS_LISTED);
    return c.json({ subscriptions: rows.map(subscriptionView) });
  });

  /**
   * Cancel and resume: counted like a saved-card request (inside the idempotency layer, so a
   * replay is not counted and a 429 gives its key back). A 404 `subscription_not_found` (none
   * such, or another shopper's) gives its key back too: both flows throw it before they change
   * anything (`checkout/cancel.ts`, `checkout/resume.ts`), so there is nothing a replay must not
   * repeat, and a row kept for each fresh key would let anyone without an account, no
   * subscription needed, add rows that are never deleted.
   */
  const subscriptionWrite = (c: Context<StubEnv>, run: () => Promise<Outcome>) =>
    unstartedOn('subscription_not_found', async () => {
      admitCards(c);
      return run();
    });

  // As easy to leave as to join: the shopper cancels their own, no merchant in the loop.
  app.post('/subscriptions/:id/cancel', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, CancelBody, { emptyAllowed: true });
    const shopperId = c.get('shopperId');
    return idempotent(c, idem, `shopper:${shopperId}`, body, c.get('log'), () =>
      subscriptionWrite(c, async () => ({
        status: 200,
        body: canceledView(
          await cancelRenewals(ctx, id, c.get('requestId'), shopperId),
          subscriptionView,
        ),
      })),
    );
  });

  // Takes the shopper's own cancellation back while the paid period runs (`checkout/resume.ts`).
  app.post('/subscriptions/:id/resume', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, ResumeBody, { emptyAllowed: true });
    const shopperId = c.get('shopperId');
    return idempotent(c, idem, `shopper:${shopperId}`, body, c.get('log'), () =>
      subscriptionWrite(c, async () => ({
        status: 200,
        body: {
          subscription: subscriptionView(
            await resumeRenewals(ctx, id, c.get('requestId'), shopperId),
          ),
        },
      })),
    );
  });

  // Sets the card, so sending it twice changes nothing more: no Idempotency-Key, like the
  // default card (and no payment is made: `checkout/subscription-card.ts`).
  app.put('/subscriptions/:id/payment-method', async (c) => {
    const id = readParam(c, 'id', PathId);
    readQuery(c, NoQuery);
    const body = await readBody(c, SubscriptionCardBody);
    admitCards(c);
    const sub = await changeCard(
      ctx,
      c.get('shopperId'),
      id,
      body.paymentMethodId,
      c.get('requestId'),
    );
    return c.json({ subscription: subscriptionView(sub) });
  });

  return app;
}
