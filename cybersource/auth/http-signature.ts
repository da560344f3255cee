/**
 * @module HTTP-signature request authentication ("shared secret key"), both sides.
 *
 * Recipe (API-FACTS §1.2–1.3, verified against the official Node SDK's vectors):
 * signing string = one `name: value` line per name of the `headers=` list, joined by `\n`;
 * `request-target` is `<lower-case method> <path?query>`; signature = base64 HMAC-SHA256 keyed
 * with the base64-decoded secret. CyberSource refuses the legacy `(request-target)` spelling for
 * requests after 2024-04-22; we can still compute it to reproduce old transcripts.
 */
import { createHmac } from 'node:crypto';
import { type BodyBytes, bodyDigest, methodHasBody } from './digest.ts';

export type RequestTargetName = 'request-target' | '(request-target)';

export interface SignInput {
  method: string;
  /** Path plus query string, exactly as on the request line. */
  target: string;
  /** The Host header value the server will see (the SDK's runEnvironment). */
  host: string;
  /** RFC 7231 IMF-fixdate, e.g. `new Date().toUTCString()`. */
  date: string;
  merchantId: string;
  keyId: string;
  /** The shared secret as CyberSource's Business Center shows it (base64). */
  secretBase64: string;
  /** Raw body bytes; only used for POST, PUT and PATCH. */
  body?: BodyBytes;
  /** Only for reproducing pre-2024 transcripts. */
  requestTargetName?: RequestTargetName;
}

export interface SignedHeaders {
  host: string;
  date: string;
  digest?: string;
  'v-c-merchant-id': string;
  signature: string;
}

/** The values a signing string can name, keyed by lower-case header name. */
export type SignableValues = Readonly<Record<string, string | undefined>>;

export function requestTargetValue(method: string, target: string): string {
  return `${method.toLowerCase()} ${target}`;
}

/** Builds the signing string for a `headers=` list; undefined when a named value is missing. */
export function signingString(
  headerNames: readonly string[],
  values: SignableValues,
): string | undefined {
  const lines: string[] = [];
  for (const name of headerNames) {
    const value = values[name];
    if (value === undefined) return undefined;
    lines.push(`${name}: ${value}`);
  }
  return lines.join('\n');
}

export function hmacSignature(secretBase64: string, text: string): string {
  return createHmac('sha256', Buffer.from(secretBase64, 'base64'))
    .update(text, 'utf8')
    .digest('base64');
}

/** Signs a request the way the official SDK does; returns the headers to send. */
export function signRequest(input: SignInput): SignedHeaders {
  const rt = input.requestTargetName ?? 'request-target';
  const withBody = methodHasBody(input.method);
  const digest = withBody ? bodyDigest(input.body ?? '') : undefined;
  const names = withBody
    ? ['host', 'date', rt, 'digest', 'v-c-merchant-id']
    : ['host', 'date', rt, 'v-c-merchant-id'];
  const text = signingString(names, {
    host: input.host,
    date: input.date,
    [rt]: requestTargetValue(input.method, input.target),
    digest,
    'v-c-merchant-id': input.merchantId,
  });
  // Every name above has a value by construction.
  const signature = hmacSignature(input.secretBase64, text ?? '');
  const header = formatSignatureHeader({
    keyId: input.keyId,
    algorithm: 'HmacSHA256',
    headers: names,
    signature,
  });
  return {
    host: input.host,
    date: input.date,
    ...(digest === undefined ? {} : { digest }),
    'v-c-merchant-id': input.merchantId,
    signature: header,
  };
}

export interface SignatureParams {
  keyId: string;
  algorithm: string;
  headers: string[];
  signature: string;
}

export function formatSignatureHeader(p: SignatureParams): string {
  return `keyid="${p.keyId}", algorithm="${p.algorithm}", headers="${p.headers.join(' ')}", signature="${p.signature}"`;
}

const PARAM = /\s*([a-zA-Z]+)="([^"]*)"\s*(?:,|$)/y;

/** Parses `keyid="…", algorithm="…", headers="…", signature="…"`; undefined when malformed. */
export function parseSignatureHeader(header: string): SignatureParams | undefined {
  const params = new Map<string, string>();
  PARAM.lastIndex = 0;
  while (PARAM.lastIndex < header.length) {
    const start = PARAM.lastIndex;
    const m = PARAM.exec(header);
    if (!m || PARAM.lastIndex === start) return undefined;
    const [, key, value] = m;
    if (key === undefined || value === undefined) return undefined;
    params.set(key.toLowerCase(), value);
  }
  const keyId = params.get('keyid');
  const algorithm = params.get('algorithm');
  const headers = params.get('headers');
  const signature = params.get('signature');
  if (!keyId || !algorithm || !headers || !signature) return undefined;
  return { keyId, algorithm, headers: headers.trim().split(/\s+/), signature };
}
