/**
 * @module Turning CyberSource answers into parsed values or catalog errors: one factory maps
 * HTTP status and CyberSource's envelope to the stub's codes (STYLE-ANCHORS practice 3,
 * stripe-node `generateV1Error`). Envelopes come from `cybersource/envelopes.ts` (API-FACTS
 * §1.4, §2.7, §3.2, §5.1).
 */
import type { z } from 'zod';
import {
  FlexErrorBody,
  MicroformSessionErrorBody,
  PtsErrorBody,
  TmsErrorBody,
} from '../../cybersource/envelopes.ts';
import { type StubError, stubError } from '../errors.ts';
import type { CallResult } from './client.ts';
import { TransportError } from './transport-error.ts';

export interface FieldProblem {
  field: string;
  reason: string;
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Field-level details from whichever envelope CyberSource used. Each family's envelope is told
 * by the key only it has (TMS `errors`, Flex `responseStatus`, a Microform session's details
 * with `location`), so those are tried first: the payments envelope has only optional fields
 * and reads any JSON object, a TMS or Flex refusal included, as one with nothing in it.
 */
function detailsOf(body: unknown): { reason?: string; details: FieldProblem[] } {
  const tms = TmsErrorBody.safeParse(body);
  if (tms.success) {
    const first = tms.data.errors[0];
    return {
      ...(first ? { reason: first.type } : {}),
      details: tms.data.errors.flatMap((e) =>
        (e.details ?? []).map((d) => ({
          field: d.location ? `${d.location}.${d.name}` : d.name,
          reason: e.type,
        })),
      ),
    };
  }
  const flex = FlexErrorBody.safeParse(body);
  if (flex.success) {
    return {
      reason: flex.data.responseStatus.reason,
      details: (flex.data.responseStatus.details ?? []).map((d) => ({
        field: d.location,
        reason: d.message,
      })),
    };
  }
  const mf = MicroformSessionErrorBody.safeParse(body);
  if (mf.success) {
    return {
      reason: mf.data.reason,
      details: (mf.data.details ?? []).map((d) => ({ field: d.location, reason: d.message })),
    };
  }
  const pts = PtsErrorBody.safeParse(body);
  if (pts.success) {
    return {
      ...(pts.data.reason === undefined ? {} : { reason: pts.data.reason }),
      // A detail names a field, or says nothing we can pass on.
      details: (pts.data.details ?? []).flatMap(({ field, reason }) =>
        field === undefined ? [] : [{ field, reason: reason ?? pts.data.reason ?? 'INVALID_DATA' }],
      ),
    };
  }
  return { details: [] };
}

/** The catalog error for a non-success HTTP answer. */
export function failureFor(result: CallResult): StubError {
  const body = jsonOf(result.text);
  if (result.status === 400 || result.status === 422) {
    const { reason, details } = detailsOf(body);
    const mle = details.some((d) => MLE_FIELDS.test(d.field));
    return stubError(mle ? 'gateway_encryption_refused' : 'gateway_invalid_request', {
      ...(reason === undefined ? {} : { reason }),
      ...(details.length === 0 ? {} : { details }),
    });
  }
  if (result.status === 401 || result.status === 403)
    return stubError('gateway_authentication_failed');
  if (result.status === 404 || result.status === 410) return stubError('not_found');
  if (result.status === 409 || result.status === 412) {
    const { reason } = detailsOf(body);
    return stubError('gateway_conflict', reason === undefined ? {} : { reason });
  }
  // Throttled before anything was processed: a refusal, to be tried again later.
  if (result.status === 429) return stubError('gateway_throttled');
  // TMS's 424 is `notFound` "Profile not found" (API-FACTS §3.2): the merchant's token
  // management profile is missing, which no retry mends. Any other 424 (Failed Dependency) is
  // a service behind the one called failing, like a 5xx.
  if (result.status === 424 && detailsOf(body).reason === 'notFound')
    return stubError('gateway_profile_not_found');
  if (result.status >= 500 || result.status === 424) return stubError('gateway_error');
  return stubError('gateway_response_invalid');
}

const TRANSPORT_CODES = {
  timeout: 'gateway_error',
  connection: 'gateway_unavailable',
  unreadable: 'gateway_response_invalid',
  encryption: 'gateway_unavailable',
} as const;

/** The catalog error for a transport failure on a non-payment call. */
export function transportFailure(err: TransportError): StubError {
  return stubError(TRANSPORT_CODES[err.failure], { cause: err });
}

/**
 * Fields CyberSource's refusal names when message-level encryption itself failed: the encrypted
 * body, or the response key the JWT asked for [inferred: the emulator's refusals, emulator
 * README "Message-level encryption"]. The merchant's configuration is at fault, not the request
 * or the shopper's card: a renewal refused so is not a failed attempt.
 */
const MLE_FIELDS = /(^|\.)(encryptedRequest|v-c-response-mle-kid)$/;

/** Parses a JSON answer with `schema`; anything unexpected is `gateway_response_invalid`. */
export function parseAnswer<T>(result: CallResult, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(jsonOf(result.text));
  if (!parsed.success) {
    throw stubError('gateway_response_invalid', {
      details: parsed.error.issues
        .slice(0, 5)
        .map((i) => ({ field: i.path.join('.'), reason: i.code })),
    });
  }
  return parsed.data;
}

/** Runs a non-payment call, turning transport failures into catalog errors. */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TransportError) throw transportFailure(err);
    throw err;
  }
}
