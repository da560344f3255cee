/**
 * @module POST the JWE to `flx.origin + flx.path` and turn the answer into a token or a
 * MicroformError (API-FACTS §5.4 "Tokenisation over the wire").
 *
 * Content type `application/jwt; charset=utf-8`, 30 s timeout, success is the transient-token
 * JWT as text. Failures carry `responseStatus {reason, message, details}`; the mapping below
 * follows the one in MF011, plus the two capture-context reasons the emulator's tokens
 * endpoint adds (`cybersource/microform-sessions/tokens.ts`), passed through by name.
 */
import { errorData, type MicroformErrorData } from '../shared/errors.ts';
import {
  isRecord,
  isString,
  type Json,
  looksLikeJwt,
  recordAt,
  stringAt,
} from '../shared/guards.ts';

const TIMEOUT_MS = 30_000;

export type TokensOutcome = { token: string } | { error: MicroformErrorData };

export async function postTokens(url: string, jwe: string): Promise<TokensOutcome> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/jwt; charset=utf-8' },
      body: jwe,
      credentials: 'omit',
      signal: abort.signal,
    });
    text = await res.text();
  } catch {
    return {
      error: errorData(abort.signal.aborted ? 'CREATE_TOKEN_TIMEOUT' : 'CREATE_TOKEN_XHR_ERROR'),
    };
  } finally {
    clearTimeout(timer);
  }
  if (res.status >= 200 && res.status < 400) {
    const token = text.trim();
    return looksLikeJwt(token) ? { token } : { error: errorData('MALFORMED_TOKENS_RESPONSE') };
  }
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: mapped as an unknown answer below */
  }
  const error = isRecord(body) ? mapFailure(body) : errorData('API_INTERNAL_ERROR');
  error.status = res.status;
  const correlationId = res.headers.get('v-c-correlation-id');
  if (correlationId) error.correlationId = correlationId;
  return { error };
}

/** Server-side `captureData.*` locations become the field names integrators know (MF011). */
const LOCATIONS: Record<string, string> = {
  'captureData.number': 'number',
  'captureData.type': 'type',
  'captureData.expirationMonth': 'expirationMonth',
  'captureData.expirationYear': 'expirationYear',
  'captureData.securityCode': 'securityCode',
};

function serverDetails(details: unknown): { location: string; message: string }[] {
  if (!Array.isArray(details)) return [];
  return details.filter(isRecord).flatMap((d: Json) => {
    const location = isString(d.location) ? LOCATIONS[d.location] : undefined;
    return location
      ? [{ location, message: isString(d.message) ? d.message : 'Validation error' }]
      : [];
  });
}

function mapValidation(status: Json): MicroformErrorData {
  const message = stringAt(status, 'message') ?? '';
  const details = status.details;
  if (message === 'Cannot parse the POST body') return errorData('API_JSON_PARSER_ERROR');
  if (
    /^Cannot find private RSA key with keyId/.test(message) ||
    message === 'Cannot find the specified key'
  ) {
    return errorData('CREATE_TOKEN_CAPTURE_CONTEXT_NOT_FOUND');
  }
  if (message.startsWith('At least one non-empty field must be supplied for tokenization')) {
    return errorData('CREATE_TOKEN_NO_DATA_SUBMITTED');
  }
  if (message === 'Invalid JWE format') return errorData('API_JWE_PARSING_ERROR');
  if (Array.isArray(details) && details.some((d) => isRecord(d) && d.location === 'keyId')) {
    return errorData('CREATE_TOKEN_CAPTURE_CONTEXT_NOT_FOUND');
  }
  return errorData('CREATE_TOKEN_VALIDATION_SERVERSIDE', { details: serverDetails(details) });
}

function mapFailure(body: Json): MicroformErrorData {
  const status = recordAt(body, 'responseStatus') ?? body;
  switch (stringAt(status, 'reason')) {
    case 'VALIDATION_ERROR':
      return mapValidation(status);
    case 'RESOURCE_QUOTA_EXCEEDED':
      return errorData('CREATE_TOKEN_CAPTURE_CONTEXT_USED_TOO_MANY_TIMES');
    case 'TOKENIZATION_ERROR':
      return errorData('CREATE_TOKEN_PLATFORM_ERROR');
    case 'DECRYPTION_ERROR':
      return errorData('CREATE_TOKEN_DECRYPTION');
    case 'API_GATEWAY_ERROR':
      return errorData('API_GATEWAY_ERROR');
    case 'JSON_PARSER_ERROR':
      return errorData('API_JSON_PARSER_ERROR');
    case 'SIGNATURE_ERROR':
    case 'PROFILE_ERROR':
    case 'INTERNAL_ERROR':
      return errorData('API_INTERNAL_ERROR');
    case 'CAPTURE_CONTEXT_EXPIRED':
      return errorData('CAPTURE_CONTEXT_EXPIRED');
    case 'CAPTURE_CONTEXT_INVALID':
      return errorData('CAPTURE_CONTEXT_INVALID');
    default:
      return errorData('UNKNOWN_REASON', { details: JSON.parse(JSON.stringify(status)) });
  }
}
