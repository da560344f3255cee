/**
 * @module Middleware that records the counted client address of each request in
 * `c.get('clientIp')` (`client-ip.ts`), for the limits and the logs.
 */
import type { MiddlewareHandler } from 'hono';
import type { StubEnv } from '../http/env.ts';
import { clientIp } from './client-ip.ts';

export function requestIp(trustProxy: number): MiddlewareHandler<StubEnv> {
  return async (c, next) => {
    c.set('clientIp', clientIp(c, trustProxy));
    await next();
  };
}
