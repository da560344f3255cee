/**
 * @module TMS error answers: one envelope, `{"errors":[{type, message, details?}]}` (API-FACTS §3.2).
 *
 * Messages are the real ones where SPEC2020 or AM show them; the others are ours and say so in
 * `emulator/tms/README.md`.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { TmsErrorBody } from '../../cybersource/envelopes.ts';
import type { EmulatorEnv } from '../http/env.ts';
import { jsonUtf8 } from '../http/respond.ts';

export type TmsErrorDetail = { name: string; location?: string };
export type TmsError = TmsErrorBody['errors'][number];

export const MESSAGES = {
  notFound: 'Token not found',
  notAvailable: 'Token not available.',
  unknownField: 'Unknown body values.',
  unsupportedFields: 'Unsupported body values for this action.',
  invalidParameters: 'Invalid parameter values.',
  instrumentIdentifierNotFound:
    'Action cannot be performed. The `InstrumentIdentifier` is not found',
  instrumentIdentifierGone: 'Action cannot be performed. The `InstrumentIdentifier` is gone.',
  invalidCombination: 'The combination is invalid.',
  instrumentIdentifierDeletionError:
    'Action cannot be performed. The Instrument Identifier is associated with one or more Payment Instruments.',
  profileNotFound: 'Profile not found',
  // ours: no published text for these (README "where we chose")
  missingFields: 'Missing body values.',
  invalidFields: 'Invalid body values.',
  malformedBody: 'The request body is not valid JSON.',
  defaultPaymentInstrumentDeletion:
    'Action cannot be performed. The Payment Instrument is the Customer default; select a new default Payment Instrument first.',
  defaultShippingAddressDeletion:
    'Action cannot be performed. The Shipping Address is the Customer default; select a new default Shipping Address first.',
  preconditionFailed: 'Action cannot be performed. The token has changed since the given ETag.',
} as const;

export function tmsError(
  c: Context<EmulatorEnv>,
  status: ContentfulStatusCode,
  errors: TmsError[],
  extra: Record<string, unknown> = {},
): Response {
  const body: TmsErrorBody & Record<string, unknown> = { ...extra, errors };
  return jsonUtf8(c, body, status);
}

export function oneError(
  c: Context<EmulatorEnv>,
  status: ContentfulStatusCode,
  type: string,
  message: string,
  details?: TmsErrorDetail[],
): Response {
  return tmsError(c, status, [{ type, message, ...(details ? { details } : {}) }]);
}

export const notFound = (c: Context<EmulatorEnv>) =>
  oneError(c, 404, 'notFound', MESSAGES.notFound);

export const gone = (c: Context<EmulatorEnv>) =>
  oneError(c, 410, 'notAvailable', MESSAGES.notAvailable);
