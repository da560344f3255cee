/**
 * @module 400 bodies of `POST /microform/v2/sessions` (API-FACTS §5.1, NODE
 * `InlineResponse4001.md`): `{correlationId, details[{location,message}], informationLink,
 * message, reason}`.
 */
import type { z } from 'zod';
import type { MicroformSessionErrorBody } from '../../cybersource/envelopes.ts';
import type { SessionsErrorReason } from '../../cybersource/microform-sessions/error.ts';

const INFORMATION_LINK =
  'https://developer.cybersource.com/docs/cybs/en-us/digital-accept-flex/developer/all/rest/digital-accept-flex/microform-integ-v2.html';

/** `["targetOrigins", 0]` → `targetOrigins[0]`. */
export function locationOf(path: readonly PropertyKey[]): string {
  let location = '';
  for (const key of path) {
    if (typeof key === 'number') location += `[${key}]`;
    else location += location ? `.${String(key)}` : String(key);
  }
  return location;
}

export function sessionsError(
  correlationId: string,
  reason: SessionsErrorReason,
  message: string,
  details: { location: string; message: string }[] = [],
): MicroformSessionErrorBody {
  return { correlationId, details, informationLink: INFORMATION_LINK, message, reason };
}

export function sessionsValidationError(
  correlationId: string,
  issues: readonly z.core.$ZodIssue[],
): MicroformSessionErrorBody {
  return sessionsError(
    correlationId,
    'UNIFIEDPAYMENTS_VALIDATION_FIELDS',
    'Field validation error.',
    issues.map((i) => ({ location: locationOf(i.path) || 'body', message: i.message })),
  );
}
