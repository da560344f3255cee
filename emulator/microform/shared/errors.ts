/**
 * @module MicroformError and its catalog of reasons (API-FACTS §5.4).
 *
 * The reasons and default messages are those of the real library (MF011); integrators switch
 * on `reason`, so they must match exactly. Errors cross frames as plain data
 * (`MicroformErrorData`): structured clone drops an Error subclass's own fields.
 */
import { isRecord, isString, type Json } from './guards.ts';

const INFORMATION_LINK = 'https://www.cybersource.com/products/payment_security/secure_acceptance';

export const REASON_MESSAGES = {
  CAPTURE_CONTEXT_INVALID: 'You have not supplied a valid capture context.',
  CAPTURE_CONTEXT_EXPIRED: 'Your capture context has expired.',
  BROWSER_ENCRYPTION_FAILED: 'In-browser encryption has failed.',
  CREATE_FIELD_INVALID_FIELD_TYPE: 'Invalid field type.',
  CREATE_FIELD_DUPLICATE: 'A field of this type has already been created for this integration.',
  CREATE_TOKEN_NO_FIELDS_LOADED: 'No fields have been loaded.',
  CREATE_TOKEN_TIMEOUT: 'Create token request timed out.',
  CREATE_TOKEN_XHR_ERROR: 'Could not create a token as the underlying XMLHttpRequest failed.',
  CREATE_TOKEN_NO_FIELDS: 'No fields for collection.',
  CREATE_TOKEN_VALIDATION_PARAMS: 'One or more params have a validation error.',
  CREATE_TOKEN_VALIDATION_FIELDS: 'One or more fields have a validation error.',
  CREATE_TOKEN_UNABLE_TO_START: 'Unable to trigger tokenization.',
  CREATE_TOKEN_VALIDATION_SERVERSIDE: 'Server-side validation has rejected your request.',
  CREATE_TOKEN_DECRYPTION: 'Unable create a token as the JWE contents could not be decrypted.',
  CREATE_TOKEN_PLATFORM_ERROR: 'There was a problem communicating with the tokenization service.',
  CREATE_TOKEN_NO_DATA_SUBMITTED: 'At least one non-empty field must be supplied for tokenization.',
  CREATE_TOKEN_CAPTURE_CONTEXT_USED_TOO_MANY_TIMES:
    'The supplied capture context has exceeded its usage limits. Please request another before trying again.',
  CREATE_TOKEN_CAPTURE_CONTEXT_NOT_FOUND:
    'The capture context could not be found. Please request another before trying again.',
  FIELD_UNLOAD_ERROR: 'Field is not loaded. Call "load" before attempting to unload.',
  FIELD_ALREADY_LOADED: 'Field has already been loaded. Call "unload" before trying to re-load.',
  FIELD_LOAD_CONTAINER_SELECTOR: 'Unable to locate a DOM node using the supplied selector string.',
  FIELD_LOAD_INVALID_CONTAINER:
    'Invalid argument supplied to load. Supported values are [HTMLElement or a CSS selector string].',
  FIELD_SUBSCRIBE_UNSUPPORTED_EVENT: 'Unsupported event name.',
  FIELD_SUBSCRIBE_INVALID_CALLBACK: 'The supplied callback is not a function.',
  IFRAME_JWT_VALIDATION_FAILED: 'Invalid JWT.',
  IFRAME_UNSUPPORTED_FIELD_TYPE: 'Unsupported field type.',
  MALFORMED_TOKENS_RESPONSE: 'JWT returned on tokens request does not match expected format.',
  UNKNOWN_REASON: 'Microform could not handle the recieved Flex API reason code.',
  API_INTERNAL_ERROR: 'An unknown error has occurred.',
  API_JSON_PARSER_ERROR: 'There was a problem processing your request.',
  API_JWE_PARSING_ERROR: 'Unable create a token as the JWE contents could not be parsed.',
  API_GATEWAY_ERROR: 'The API gateway rejected your request.',
} as const;

export type MicroformReason = keyof typeof REASON_MESSAGES;

export function isMicroformReason(value: unknown): value is MicroformReason {
  return isString(value) && Object.hasOwn(REASON_MESSAGES, value);
}

/** An error as it travels between frames. */
export interface MicroformErrorData {
  reason: MicroformReason;
  message: string;
  details?: unknown;
  correlationId?: string;
  status?: number;
}

/** The object integrators receive: `{name:"MicroformError", reason, message, informationLink, …}`. */
export class MicroformError extends Error {
  override readonly name = 'MicroformError';
  readonly reason: MicroformReason;
  readonly informationLink = INFORMATION_LINK;
  correlationId?: string;
  details?: unknown;
  status?: number;

  constructor(data: MicroformErrorData) {
    super(data.message);
    // Enumerable like the real one's, so `JSON.stringify(err)` shows the message too.
    Object.defineProperty(this, 'message', {
      value: data.message,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    this.reason = data.reason;
    if (data.details !== undefined) this.details = data.details;
    if (data.correlationId !== undefined) this.correlationId = data.correlationId;
    if (data.status !== undefined) this.status = data.status;
  }
}

/** The catalog entry for `reason`, with an optional more specific message and extra fields. */
export function errorData(
  reason: MicroformReason,
  extra: { message?: string; details?: unknown; correlationId?: string; status?: number } = {},
): MicroformErrorData {
  const data: MicroformErrorData = { reason, message: extra.message ?? REASON_MESSAGES[reason] };
  if (extra.details !== undefined) data.details = extra.details;
  if (extra.correlationId !== undefined) data.correlationId = extra.correlationId;
  if (extra.status !== undefined) data.status = extra.status;
  return data;
}

export function microformError(
  reason: MicroformReason,
  extra?: Parameters<typeof errorData>[1],
): MicroformError {
  return new MicroformError(errorData(reason, extra));
}

/** Validates an error that arrived from another frame. */
export function parseErrorData(value: unknown): MicroformErrorData | undefined {
  if (!isRecord(value) || !isMicroformReason(value.reason) || !isString(value.message)) {
    return undefined;
  }
  const data: MicroformErrorData = { reason: value.reason, message: value.message };
  if (value.details !== undefined) data.details = sanitizeDetails(value.details);
  if (isString(value.correlationId)) data.correlationId = value.correlationId;
  if (typeof value.status === 'number') data.status = value.status;
  return data;
}

/** Details are `[{location, message}]` or `{fields:[…]}` (MF011); keep only those shapes. */
function sanitizeDetails(details: unknown): unknown {
  if (Array.isArray(details)) {
    return details.filter(isRecord).map((d: Json) => ({
      ...(isString(d.location) ? { location: d.location } : {}),
      ...(isString(d.message) ? { message: d.message } : {}),
    }));
  }
  if (isRecord(details)) return JSON.parse(JSON.stringify(details));
  return undefined;
}
