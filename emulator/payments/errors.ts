/**
 * @module The Payments API's refusals: 400 INVALID_REQUEST with field details, 404 for unknown
 * ids, 502 SERVER_ERROR (API-FACTS §2.7).
 */
import type { Context } from 'hono';
import type { EmulatorEnv } from '../http/env.ts';
import { answer } from '../http/respond.ts';

export interface FieldDetail {
  field: string;
  reason: 'MISSING_FIELD' | 'INVALID_DATA';
}

/** Messages seen from the real sandbox where known (API-FACTS §2.7, §6); the rest [inferred]. */
export const MESSAGES = {
  MISSING_FIELD: 'Declined - The request is missing one or more fields',
  INVALID_DATA: 'Declined - One or more fields in the request contains invalid data',
  DUPLICATE_REQUEST:
    'Declined - The clientReferenceInformation.transactionId of this request matches that of an earlier request',
  EXCEEDS_AUTH_AMOUNT: 'Declined - The requested amount exceeds the originally authorized amount',
  INVALID_AMOUNT: 'Declined - The requested amount exceeds the amount available to refund',
  AUTH_ALREADY_REVERSED: 'Declined - The authorization has already been reversed',
  TRANSACTION_ALREADY_REVERSED_OR_SETTLED:
    'Declined - The authorization has already been captured or reversed',
  MISSING_AUTH: 'Declined - There is no corresponding, unused authorization record',
  CAPTURE_ALREADY_VOIDED: 'Declined - The capture or sale has already been voided',
  NOT_VOIDABLE:
    'Declined - The transaction cannot be voided: it was already settled, voided, or is of a type that cannot be voided',
  NOT_SUPPORTED: 'Declined - The requested feature is not supported',
} as const;

export type InvalidReason = keyof typeof MESSAGES;

export function invalidRequest(
  c: Context<EmulatorEnv>,
  submitTimeUtc: string,
  reason: InvalidReason,
  details: FieldDetail[] = [],
): Response {
  return answer(
    c,
    {
      submitTimeUtc,
      status: 'INVALID_REQUEST',
      reason,
      message: MESSAGES[reason],
      ...(details.length ? { details } : {}),
    },
    400,
  );
}

/** One field refused: the overall reason follows the field's (missing vs invalid). */
export function fieldError(
  c: Context<EmulatorEnv>,
  submitTimeUtc: string,
  field: string,
  reason: FieldDetail['reason'] = 'INVALID_DATA',
): Response {
  return invalidRequest(c, submitTimeUtc, reason, [{ field, reason }]);
}

/** Unknown or foreign id in the path [inferred shape: NODE `InlineResponse4046.md`]. */
export function notFound(c: Context<EmulatorEnv>, submitTimeUtc: string): Response {
  return answer(
    c,
    {
      submitTimeUtc,
      status: 'NOT_FOUND',
      reason: 'NOT_FOUND',
      message: 'The requested resource does not exist',
    },
    404,
  );
}

/** 502 as the gateway answers a processor timeout or failure (RELIABILITY-FACTS §3.6). */
export function serverError(
  c: Context<EmulatorEnv>,
  submitTimeUtc: string,
  reason: 'SYSTEM_ERROR' | 'SERVER_TIMEOUT',
): Response {
  const message =
    reason === 'SERVER_TIMEOUT' ? 'Error - Server timeout.' : 'Error - General system failure.';
  return answer(c, { submitTimeUtc, status: 'SERVER_ERROR', reason, message }, 502);
}

/** A reused `clientReferenceInformation.transactionId` (unique per merchant, RELIABILITY-FACTS §3.6). */
export function duplicateRequest(c: Context<EmulatorEnv>, submitTimeUtc: string): Response {
  return invalidRequest(c, submitTimeUtc, 'DUPLICATE_REQUEST', [
    { field: 'clientReferenceInformation.transactionId', reason: 'INVALID_DATA' },
  ]);
}
