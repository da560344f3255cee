/**
 * @module Middleware that records the counted client address of each request in
 * `c.get('clientIp')` (`client-ip.ts`), for the limits and the logs.
 */
import type { MiddlewareHandler } from 'hono';
import type { StubEnv } from '../http/env.ts';
import { clientAddress, ProxyTrust, type TrustProxy } from './client-ip.ts';

export function requestIp(trustProxy: TrustProxy): MiddlewareHandler<StubEnv> {
  const trust = new ProxyTrust(trustProxy);
  let warned = false;
  return async (c, next) => {
    const { ip, peer, ignored } = clientAddress(c, trust);
    c.set('clientIp', ip);
    // Once per process: the stub's port is reachable without passing the proxy (or the proxy's
    // addresses are not the ones TRUST_PROXY names). The header is ignored either way; logging
    // each one would let anyone fill the log.
    if (ignored && !warned) {
      warned = true;
      c.get('log').warn(
        { peer },
        'TRUST_PROXY: X-Forwarded-For from an address that is no trusted proxy is ignored (counted as that address). Listen only where the proxy connects from (LISTEN_ADDRESS), or list the proxy addresses in TRUST_PROXY',
      );
    }
    await next();
  };
}
