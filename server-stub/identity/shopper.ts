/**
 * @module Who pays: a pluggable hook that names the shopper of a request. The default keeps an
 * anonymous shopper id in a signed (HMAC-SHA256), HttpOnly cookie, SameSite=Lax, `__Host-` over
 * https; a merchant
 * with real accounts plugs in their own session lookup instead.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { newId } from '../checkout/ids.ts';

export interface ShopperIdentity {
  /**
   * The shopper id of this request; may set a cookie on the answer. Reads and writes of one
   * checkout are sent at once (the widget reads the catalog and saved cards while it starts
   * the session), so a hook that creates identities should do so on writes only. A hook that
   * has just created the identity may `c.set('freshShopper', true)`: the stub then does not look
   * for an earlier session of theirs to resume.
   */
  identify(c: Context): string | Promise<string>;
}

/**
 * Over https the name carries the `__Host-` prefix (RFC 6265bis §4.1.3.2): a browser takes such a
 * cookie only from this very host, Secure, with `Path=/` and no `Domain`. Without it, a sibling
 * subdomain (or a plain-http host under the same domain) could plant its own signed shopper
 * cookie with a longer path, sent first: the victim's card would then be saved under the
 * planter's shopper, who could list and pay with it. Plain http (local development) cannot use
 * the prefix.
 */
export const shopperCookieName = (secure: boolean) =>
  secure ? '__Host-checkout_shopper' : 'checkout_shopper';
const ONE_YEAR_S = 365 * 24 * 3600;
const ID = /^shp_[A-Za-z0-9_-]{16}$/;

function sign(secret: string, id: string): string {
  return createHmac('sha256', secret).update(id).digest('base64url');
}

/** The id inside a cookie value, when the signature matches. */
export function verifyShopperCookie(secret: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const dot = value.lastIndexOf('.');
  const id = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1));
  const expected = Buffer.from(sign(secret, id));
  if (dot < 0 || !ID.test(id) || given.length !== expected.length) return undefined;
  return timingSafeEqual(given, expected) ? id : undefined;
}

export function signedCookieIdentity(
  secret: string,
  options: {
    secure: boolean;
    /**
     * The checkout is embedded on other sites too (CHECKOUT_ALLOWED_SITES). A browser drops a
     * SameSite=Lax cookie set by, and never sends it to, a cross-site fetch, so every request
     * there would be a new shopper and no payment would find its session. Over https the
     * cookie is then SameSite=None and Partitioned (CHIPS): sent from the embedding sites, but
     * kept per top-level site, so it follows a shopper on one site and never across sites.
     * CSRF is still refused: any origin that is not allowed gets 403 (`originGuard`), and every
     * POST needs a custom header (Idempotency-Key), which a cross-site form cannot send.
     */
    crossSite?: boolean;
  },
): ShopperIdentity {
  const embedded = options.crossSite === true && options.secure;
  const name = shopperCookieName(options.secure);
  return {
    identify(c) {
      const known = verifyShopperCookie(secret, getCookie(c, name));
      if (known) return known;
      const id = newId('shp');
      // A read by a browser with no cookie is a shopper with nothing yet, and keeps no cookie:
      // only a write (the checkout's session first) sets one. The widget asks for the catalog,
      // the saved cards and a session at once, and the page may read too; a cookie from each
      // would leave the browser with whichever landed last, and the session, made for another
      // shopper, refused at Pay (`session_not_found`).
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return id;
      c.set('freshShopper', true);
      setCookie(c, name, `${id}.${sign(secret, id)}`, {
        httpOnly: true,
        sameSite: embedded ? 'None' : 'Lax',
        secure: options.secure,
        ...(embedded ? { partitioned: true } : {}),
        path: '/',
        maxAge: ONE_YEAR_S,
      });
      return id;
    },
  };
}
