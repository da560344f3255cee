/**
 * @module Authenticated Flex / Microform endpoints (mounted behind CyberSource auth):
 * `POST /microform/v2/sessions` (API-FACTS §5.1) and `POST /flex/v1/keys` (§4).
 */
import { Hono } from 'hono';
import { FlexKeyRequest } from '../../cybersource/flex-keys/request.ts';
import { SessionsRequest } from '../../cybersource/microform-sessions/request.ts';
import { targetOriginProblem } from '../../cybersource/microform-sessions/target-origins.ts';
import { readJson } from '../http/body.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';
import { issueCaptureContext } from './capture-context-issue.ts';
import { flexKeyError, issueFlexKey } from './flex-v1-keys.ts';
import { locationOf, sessionsError, sessionsValidationError } from './sessions-errors.ts';

export function flexRoutes(deps: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();

  app.post('/microform/v2/sessions', async (c) => {
    const correlationId = c.get('correlationId');
    const json = await readJson(c);
    if (!json.ok) {
      return jsonUtf8(
        c,
        sessionsError(
          correlationId,
          'UNIFIEDPAYMENTS_VALIDATION_PARAMS',
          'Request body is not valid JSON.',
        ),
        400,
      );
    }
    const request = SessionsRequest.safeParse(json.value);
    if (!request.success)
      return jsonUtf8(c, sessionsValidationError(correlationId, request.error.issues), 400);
    const jwt = await issueCaptureContext(deps, c.get('merchantId'), request.data);
    // The body is the raw JWT, not JSON (API-FACTS §5.1; the SDK sends Accept: application/jwt).
    return c.body(jwt, 201, { 'content-type': 'application/jwt;charset=utf-8' });
  });

  app.post('/flex/v1/keys', async (c) => {
    const correlationId = c.get('correlationId');
    if (new URL(c.req.url).searchParams.has('format')) {
      // `?format=JWT` produced Microform 0.11 capture contexts; 0.11 reached end of life on
      // 2025-10-01 (API-FACTS §4, §5.3), so the emulator refuses it rather than fake it.
      return jsonUtf8(
        c,
        flexKeyError(correlationId, 400, 'VALIDATION_ERROR', 'Field validation error.', [
          { location: 'format', message: 'Microform 0.11 capture contexts are no longer issued' },
        ]),
        400,
      );
    }
    const json = await readJson(c);
    if (!json.ok) {
      return jsonUtf8(
        c,
        flexKeyError(correlationId, 400, 'JSON_PARSER_ERROR', 'Malformed JSON request.'),
        400,
      );
    }
    const parsed = FlexKeyRequest.safeParse(json.value);
    const details = parsed.success
      ? []
      : parsed.error.issues.map((i) => ({
          location: locationOf(i.path) || 'body',
          message: i.message,
        }));
    const origin = parsed.success ? parsed.data.targetOrigin : undefined;
    const originIssue = origin === undefined ? undefined : targetOriginProblem(origin);
    if (originIssue) details.push({ location: 'targetOrigin', message: originIssue });
    if (!parsed.success || details.length > 0) {
      return jsonUtf8(
        c,
        flexKeyError(correlationId, 400, 'VALIDATION_ERROR', 'Field validation error.', details),
        400,
      );
    }
    return jsonUtf8(c, await issueFlexKey(deps, c.get('merchantId'), parsed.data), 200);
  });

  return app;
}
