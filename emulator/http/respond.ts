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
