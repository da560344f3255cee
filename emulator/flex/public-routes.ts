/**
 * @module Unauthenticated, browser-facing Flex endpoints (mounted before CyberSource auth):
 * `GET /flex/v2/public-keys/{kid}` (API-FACTS §5.2) and `POST /flex/v2/tokens` (§5.4).
 */
import { Hono } from 'hono';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { TOKENS_PATH } from './capture-context-issue.ts';
import { tokensFailure } from './tokens-errors.ts';
import { tokensFromJwe } from './tokens-request.ts';

/** A JWE of one card is well under 4 KiB; refuse anything absurd before decrypting. */
const MAX_TOKENS_BODY_CHARS = 16 * 1024;

export function flexPublicRoutes(deps: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  const ownOrigin = new URL(deps.config.publicUrl).origin;

  app.get('/flex/v2/public-keys/:kid', (c) => {
    const key = deps.state.flex.signingKeys.get(c.req.param('kid'));
    if (!key) {
      const responseStatus = {
        status: 404,
        reason: 'NOT_FOUND',
        message: 'Unknown key id.',
        correlationId: c.get('correlationId'),
      };
      return jsonUtf8(c, { responseStatus }, 404);
    }
    return jsonUtf8(c, key.publicJwk, 200);
  });

  // Only the emulator's own iframes may call the tokens endpoint. They are same-origin with
  // it, so a browser needs no CORS at all; answering a preflight for that origin alone keeps
  // every other page (the merchant's included) unable to post card data here directly.
  app.options(TOKENS_PATH, (c) => {
    if (c.req.header('origin') !== ownOrigin) return c.body(null, 204);
    return c.body(null, 204, {
      'access-control-allow-origin': ownOrigin,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'Origin',
    });
  });

  app.post(TOKENS_PATH, async (c) => {
    const correlationId = c.get('correlationId');
    const origin = c.req.header('origin');
    const cors: Record<string, string> =
      origin === ownOrigin ? { 'access-control-allow-origin': ownOrigin, vary: 'Origin' } : {};
    const refuse = (failure: ReturnType<typeof tokensFailure>) => {
      c.header('content-type', 'application/json;charset=utf-8');
      for (const [name, value] of Object.entries(cors)) c.header(name, value);
      return c.body(JSON.stringify(failure.body), failure.status);
    };
    if (origin !== undefined && origin !== ownOrigin) {
      return refuse(
        tokensFailure(correlationId, 'API_GATEWAY_ERROR', 'Origin not allowed.', undefined, 403),
      );
    }
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/jwt\s*(;|$)/i.test(type)) {
      return refuse(
        tokensFailure(correlationId, 'JSON_PARSER_ERROR', 'Content-Type must be application/jwt.'),
      );
    }
    const body = await c.req.text();
    if (body.length > MAX_TOKENS_BODY_CHARS) {
      return refuse(
        tokensFailure(correlationId, 'JSON_PARSER_ERROR', 'Request body is too large.'),
      );
    }
    const result = await tokensFromJwe(deps, body.trim(), correlationId);
    if (!result.ok) return refuse(result.failure);
    return c.body(result.transientToken, 201, {
      'content-type': 'application/jwt;charset=utf-8',
      ...cors,
    });
  });

  return app;
}
