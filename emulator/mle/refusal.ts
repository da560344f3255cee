/**
 * @module How the emulator refuses a request for a message-level-encryption reason, before any
 * processing: 400 in the envelope of the call's API family (`cybersource/envelopes.ts`), naming
 * the field at fault and never quoting the body.
 *
 * CyberSource documents none of these answers [inferred]: the status is the one every family
 * gives a request it cannot act on, the reason follows the family's own vocabulary (missing vs
 * invalid), and the field is `encryptedRequest` for the body or `v-c-response-mle-kid` for the
 * JWT claim naming an unregistered key. The precise failure goes to the request log.
 */
import type { Context } from 'hono';
import { flexKeyError } from '../flex/flex-v1-keys.ts';
import { sessionsError } from '../flex/sessions-errors.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { answer, jsonUtf8 } from '../http/respond.ts';
import { MESSAGES as PTS_MESSAGES } from '../payments/errors.ts';
import { MESSAGES as TMS_MESSAGES } from '../tms/errors.ts';

export type MleFailure =
  /** The JWT asked for an encrypted answer to a key the merchant never registered. */
  | 'unknown_response_kid'
  /** `encryptedRequest` is not a JWE for the request key (tampered, another key, other algorithms). */
  | 'undecryptable'
  /** It decrypts, but its header names another key than the certificate's serialNumber. */
  | 'wrong_kid'
  /** A plain body on a call that takes MLE, while `EMULATOR_MLE_REQUIRED` is on. */
  | 'not_encrypted';

const FIELD: Record<MleFailure, string> = {
  unknown_response_kid: 'v-c-response-mle-kid',
  undecryptable: 'encryptedRequest',
  wrong_kid: 'encryptedRequest',
  not_encrypted: 'encryptedRequest',
};

/** For the envelopes that carry a message per detail (Flex, Microform) [ours]. */
const DETAIL: Record<MleFailure, string> = {
  unknown_response_kid: 'No response MLE key with this id is registered for the merchant',
  undecryptable: 'The request could not be decrypted with the request MLE key',
  wrong_kid: 'The encrypted request names another request MLE key',
  not_encrypted: 'Message-level encryption is required for this request',
};

export function mleRefusal(
  c: Context<EmulatorEnv>,
  submitTimeUtc: string,
  failure: MleFailure,
): Response {
  const path = new URL(c.req.url).pathname;
  const field = FIELD[failure];
  const missing = failure === 'not_encrypted';
  if (path.startsWith('/tms/')) {
    const type =
      failure === 'unknown_response_kid'
        ? 'invalidParameters'
        : missing
          ? 'missingFields'
          : 'invalidFields';
    const message =
      failure === 'unknown_response_kid'
        ? TMS_MESSAGES.invalidParameters
        : missing
          ? TMS_MESSAGES.missingFields
          : TMS_MESSAGES.invalidFields;
    return jsonUtf8(c, { errors: [{ type, message, details: [{ name: field }] }] }, 400);
  }
  const detail = { location: field, message: DETAIL[failure] };
  if (path.startsWith('/flex/')) {
    return jsonUtf8(
      c,
      flexKeyError(c.get('correlationId'), 400, 'VALIDATION_ERROR', 'Field validation error.', [
        detail,
      ]),
      400,
    );
  }
  if (path.startsWith('/microform/')) {
    return jsonUtf8(
      c,
      sessionsError(
        c.get('correlationId'),
        'UNIFIEDPAYMENTS_VALIDATION_PARAMS',
        'Field validation error.',
        [detail],
      ),
      400,
    );
  }
  // Payments and transaction search (/pts/, /tss/), each in its own content type.
  const reason = missing ? 'MISSING_FIELD' : 'INVALID_DATA';
  return answer(
    c,
    {
      submitTimeUtc,
      status: 'INVALID_REQUEST',
      reason,
      message: PTS_MESSAGES[reason],
      details: [{ field, reason }],
    },
    400,
  );
}
