import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { EmulatorEnv } from './env.ts';

/** JSON answer with the content type the real Payments API uses (API-FACTS §2.1). */
export function hal(
  c: Context<EmulatorEnv>,
  body: unknown,
  status: ContentfulStatusCode,
): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/hal+json' });
}

/** TMS and Microform answer `application/json;charset=utf-8` (API-FACTS §3.1). */
export function jsonUtf8(
  c: Context<EmulatorEnv>,
  body: unknown,
  status: ContentfulStatusCode,
): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': 'application/json;charset=utf-8' });
}

/**
 * An answer in the content type of the API the request's path belongs to, for code shared by
 * several (errors, faults): the Payments API and Transaction Details answer HAL (API-FACTS
 * §2.1); Transaction Search (the 2020 spec's createSearch `produces`), TMS, Flex and Microform
 * `application/json;charset=utf-8` (API-FACTS §3.1).
 */
export function answer(
  c: Context<EmulatorEnv>,
  body: unknown,
  status: ContentfulStatusCode,
): Response {
  const path = c.req.path;
  const isHal = path.startsWith('/pts/') || path.startsWith('/tss/v2/transactions');
  return (isHal ? hal : jsonUtf8)(c, body, status);
}
