/**
 * @module `POST /microform/v2/sessions`: a capture context for Microform (API-FACTS §5.1).
 * The answer is the raw JWT (201, `application/jwt`), not JSON.
 */
import type { z } from 'zod';
import type { SessionsRequest } from '../../cybersource/microform-sessions/request.ts';
import { stubError } from '../errors.ts';
import type { CyberSourceClient } from './client.ts';
import { failureFor, guarded } from './responses.ts';

const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function createCaptureContext(
  client: CyberSourceClient,
  body: z.input<typeof SessionsRequest>,
  requestId?: string,
): Promise<string> {
  const result = await guarded(() =>
    client.call({
      method: 'POST',
      path: '/microform/v2/sessions',
      body,
      accept: 'application/jwt',
      ...(requestId === undefined ? {} : { requestId }),
    }),
  );
  if (result.status !== 201 && result.status !== 200) throw failureFor(result);
  const jwt = result.text.trim().replace(/^"|"$/g, '');
  if (!COMPACT_JWT.test(jwt)) throw stubError('gateway_response_invalid');
  return jwt;
}
