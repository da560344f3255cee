/**
 * @module Control API: `POST /__emulator/transient-tokens` (DESIGN.md "Emulator").
 *
 * Mints exactly what the Microform iframe would obtain for this capture context and card: the
 * same `tokenize` as `POST /flex/v2/tokens`, so the same validation, the same per-context
 * limit, and the same `responseStatus` body (400) for a card the tokens endpoint would refuse.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { findCaptureContext } from '../flex/capture-context-lookup.ts';
import { tokenize } from '../flex/tokenize.ts';
import { tokensFailure } from '../flex/tokens-errors.ts';
import type { EmulatorDeps, EmulatorEnv } from '../http/env.ts';

const MintRequest = z.strictObject({
  captureContext: z.string().min(1),
  card: z.strictObject({
    number: z.string(),
    securityCode: z.string().optional(),
    expirationMonth: z.string().optional(),
    expirationYear: z.string().optional(),
    type: z.string().optional(),
  }),
});

export function transientTokenControlRoutes({ state }: EmulatorDeps): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();

  app.post('/transient-tokens', async (c) => {
    let value: unknown;
    try {
      value = await c.req.json();
    } catch {
      return c.json({ error: { code: 'invalid_request', message: 'Body must be JSON.' } }, 400);
    }
    const request = MintRequest.safeParse(value);
    if (!request.success) {
      return c.json(
        {
          error: {
            code: 'invalid_request',
            message: 'Invalid body.',
            details: request.error.issues,
          },
        },
        400,
      );
    }
    const correlationId = c.get('correlationId');
    const context = await findCaptureContext(state.flex, request.data.captureContext);
    if (!context) {
      const failure = tokensFailure(
        correlationId,
        'CAPTURE_CONTEXT_INVALID',
        'You have not supplied a valid capture context.',
      );
      return c.json(failure.body, failure.status);
    }
    const { card } = request.data;
    const result = await tokenize(state.flex, context, card, state.now(), correlationId);
    if (!result.ok) return c.json(result.failure.body, result.failure.status);
    return c.json({ transientToken: result.transientToken }, 201);
  });

  return app;
}
