/**
 * @module The stub's middleware: request ids and access logs, the checkout on/off switch, the
 * origin allow-list with CORS, and the merchant bearer token.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from '../config/origins.ts';
import { stubError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { StubEnv } from './env.ts';
import { loggablePath, maskCardNumbers } from './redact.ts';

export function requestContext(logger: Logger, now: () => Date): MiddlewareHandler<StubEnv> {
  return async (c, next) => {
    const incoming = c.req.header('x-request-id');
    // A client's id is kept (and logged on every line) only if nothing in it could be a card
    // number: one pasted there would otherwise reach every log line of the request.
    const usable =
      incoming && /^[A-Za-z0-9._-]{8,64}$/.test(incoming) && maskCardNumbers(incoming) === incoming;
    const requestId = usable ? incoming : randomUUID();
    const log = logger.child({ requestId });
    c.set('requestId', requestId);
    c.set('log', log);
    const started = now().getTime();
    await next();
    c.header('x-request-id', requestId);
    log.info(
      {
        method: c.req.method,
        path: loggablePath(new URL(c.req.url).pathname),
        status: c.res.status,
        ms: now().getTime() - started,
      },
      'request',
    );
  };
}

/**
 * Every API answer is this shopper's or this merchant's, as of now, and depends on the Origin
 * (403 or CORS): no shared cache (a CDN in front of the stub) may keep one, least of all an
 * answer that sets the shopper cookie, which would give every later visitor the same shopper
 * and so the same saved cards (RFC 9111 §5.2.2.5 `no-store`).
 */
export function noStore(): MiddlewareHandler<StubEnv> {
  return async (c, next) => {
    c.header('cache-control', 'no-store');
    c.header('vary', 'Origin');
    await next();
  };
}

/** `CHECKOUT_ENABLED=false`: every shopper endpoint answers 503 `checkout_disabled`. */
export function checkoutEnabled(enabled: () => boolean): MiddlewareHandler<StubEnv> {
  return async (_c, next) => {
    if (!enabled()) throw stubError('checkout_disabled');
    await next();
  };
}

export interface OriginPolicy {
  /** The stub's own configured origin and the allowed sites. */
  allowed: readonly string[];
  /** Origins that need CORS headers (the allowed sites, not the stub itself). */
  crossSite: readonly string[];
}

/**
 * A browser request from any other origin is refused with 403; CORS headers go only to the
 * allowed sites. Requests without Origin (same-origin GETs, server-to-server) pass, except
 * where `requireOrigin` says the endpoint is for browsers only.
 */
export function originGuard(
  policy: OriginPolicy,
  requireOrigin: (method: string, path: string) => boolean,
): MiddlewareHandler<StubEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    const url = new URL(c.req.url);
    // The path the router matched (decoded): `/api/checkout/%73essions` is the sessions route.
    const path = c.req.path;
    if (origin === undefined) {
      if (requireOrigin(c.req.method, path)) throw stubError('origin_not_allowed');
      await next();
      return undefined;
    }
    // The configured origins, and the stub's own pages under a loopback name (127.0.0.1 for
    // localhost in development). Never any host the request merely names: the Host header is the
    // client's, and a DNS-rebinding page (attacker.example resolving to this server) sends a
    // matching Origin and Host.
    const ownLoopback = origin === url.origin && isLoopbackHost(url.hostname);
    if (!ownLoopback && !policy.allowed.includes(origin)) throw stubError('origin_not_allowed');
    if (policy.crossSite.includes(origin)) {
      c.header('access-control-allow-origin', origin);
      c.header('access-control-allow-credentials', 'true');
      // A cross-origin script reads only the CORS-safelisted response headers (Fetch standard);
      // the widget needs Retry-After to tell the shopper how long a 429 lasts, and a merchant's
      // own frontend the request id to quote to support and whether an answer was replayed.
      c.header('access-control-expose-headers', 'Retry-After, X-Request-Id, Idempotent-Replayed');
      // `Vary: Origin` is on every API answer already (`noStore`).
      if (c.req.method === 'OPTIONS') {
        c.header('access-control-allow-methods', 'GET, POST, PUT, DELETE');
        // `authorization`: a merchant's ShopperIdentity hook may read a bearer token where
        // browsers block third-party cookies (README "Who pays").
        c.header(
          'access-control-allow-headers',
          'content-type, idempotency-key, x-request-id, authorization',
        );
        c.header('access-control-max-age', '600');
        return c.body(null, 204);
      }
    }
    await next();
    return undefined;
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time (RELIABILITY-FACTS §3.5). */
export function adminOnly(token: string): MiddlewareHandler<StubEnv> {
  const expected = digest(token);
  return async (c, next) => {
    const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!m?.[1] || !timingSafeEqual(digest(m[1]), expected)) {
      c.header('www-authenticate', 'Bearer');
      throw stubError('admin_unauthorized');
    }
    await next();
  };
}
