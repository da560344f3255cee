/**
 * @module Server-side verification of CyberSource HTTP signatures (used by the emulator).
 *
 * Rebuilds the signing string from the client's own `headers=` list (API-FACTS §1.3) and
 * compares in constant time. Refusals CyberSource is known or chosen to make:
 * - `(request-target)` with parentheses: refused since 2024-04-22 (API-FACTS §1.3);
 * - a `date` outside ±maxSkewSeconds (default 300 s; no documented value exists, open
 *   question 1, so we follow the HTTP-signature audit's 300 s advice, RELIABILITY-FACTS §3.5);
 * - a signed `host` that differs from the Host header the request arrived with. The signing
 *   string is rebuilt from the Host header, so such a request simply fails to verify; to say
 *   why (`host_mismatch` rather than `bad_signature`), a failed signature is tried once more
 *   with each host the client may have meant (`VerifyOptions.knownHosts`).
 */

import { constantTimeEqual } from './constant-time.ts';
import { bodyDigest, methodHasBody } from './digest.ts';
import {
  hmacSignature,
  parseSignatureHeader,
  requestTargetValue,
  signingString,
} from './http-signature.ts';

export interface SigningKey {
  keyId: string;
  merchantId: string;
  secretBase64: string;
}

export interface HttpSignatureRequest {
  method: string;
  /** Path plus query, exactly as received. */
  target: string;
  /** Lower-case header lookup. */
  header: (name: string) => string | undefined;
  /** Raw body bytes as received. */
  body: Uint8Array;
}

export type HttpSignatureFailure =
  | 'missing_signature'
  | 'malformed_signature'
  | 'unsupported_algorithm'
  | 'legacy_request_target'
  | 'missing_signed_header'
  | 'missing_date'
  | 'invalid_date'
  | 'stale_date'
  | 'host_mismatch'
  | 'unknown_key'
  | 'merchant_mismatch'
  | 'missing_digest'
  | 'digest_mismatch'
  | 'bad_signature';

export type HttpSignatureResult =
  | { ok: true; key: SigningKey }
  | { ok: false; failure: HttpSignatureFailure };

export interface VerifyOptions {
  now: Date;
  findKey: (keyId: string) => SigningKey | undefined;
  maxSkewSeconds?: number;
  /**
   * Hosts a client may sign (the SDK's runEnvironment, the emulator's own public host). Only
   * used to tell a wrong host from a wrong signature; it never makes a request pass.
   */
  knownHosts?: readonly string[];
}

const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const fail = (failure: HttpSignatureFailure): HttpSignatureResult => ({ ok: false, failure });

export function verifyHttpSignature(
  req: HttpSignatureRequest,
  opts: VerifyOptions,
): HttpSignatureResult {
  const raw = req.header('signature');
  if (!raw) return fail('missing_signature');
  const params = parseSignatureHeader(raw);
  if (!params) return fail('malformed_signature');
  if (params.algorithm !== 'HmacSHA256') return fail('unsupported_algorithm');
  const names = params.headers.map((n) => n.toLowerCase());
  if (names.includes('(request-target)')) return fail('legacy_request_target');

  const withBody = methodHasBody(req.method);
  const required = [
    'host',
    'date',
    'request-target',
    'v-c-merchant-id',
    ...(withBody ? ['digest'] : []),
  ];
  if (!required.every((n) => names.includes(n))) return fail('missing_signed_header');

  const date = req.header('date');
  if (!date) return fail('missing_date');
  // RFC 7231 IMF-fixdate, what `Date.prototype.toUTCString()` gives (API-FACTS §1.2); other
  // formats Date.parse would accept are refused.
  if (!IMF_FIXDATE.test(date)) return fail('invalid_date');
  const when = Date.parse(date);
  if (Number.isNaN(when)) return fail('invalid_date');
  const skew = (opts.maxSkewSeconds ?? 300) * 1000;
  if (Math.abs(opts.now.getTime() - when) > skew) return fail('stale_date');

  const key = opts.findKey(params.keyId);
  if (!key) return fail('unknown_key');
  if (req.header('v-c-merchant-id') !== key.merchantId) return fail('merchant_mismatch');

  if (withBody) {
    const sent = req.header('digest');
    if (!sent) return fail('missing_digest');
    if (!constantTimeEqual(sent, bodyDigest(req.body))) return fail('digest_mismatch');
  }

  const signedAs = (host: string | undefined): string | undefined => {
    const values: Record<string, string | undefined> = {};
    for (const n of names) {
      if (n === 'request-target') values[n] = requestTargetValue(req.method, req.target);
      else if (n === 'host') values[n] = host;
      else values[n] = req.header(n);
    }
    return signingString(names, values);
  };
  const matches = (text: string) =>
    constantTimeEqual(hmacSignature(key.secretBase64, text), params.signature);
  const arrivedHost = req.header('host');
  const text = signedAs(arrivedHost);
  if (text === undefined) return fail('missing_signed_header');
  if (matches(text)) return { ok: true, key };
  for (const host of opts.knownHosts ?? []) {
    if (host === arrivedHost) continue;
    const other = signedAs(host);
    if (other !== undefined && matches(other)) return fail('host_mismatch');
  }
  return fail('bad_signature');
}
