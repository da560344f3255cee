/**
 * @module The widget's only network code: calls to the merchant's server stub (DESIGN.md table).
 * Every call sends the shopper cookie (`credentials: 'include'`); POSTs carry an
 * `Idempotency-Key` the caller owns, so a retry of the same attempt reuses it
 * (RELIABILITY-FACTS §2).
 */
import { arr, isRec, rec, str } from './guards.ts';

export interface Answer {
  status: number;
  body: unknown;
  /** Seconds from `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date); 30 if absent. */
  wait: number;
}

/** No answer by then: the connection is taken for lost (`call`). */
export const STALL_MS = 60_000;

export function retryAfter(h: string | null, now = Date.now()): number {
  const n = Number(h);
  if (h && n >= 0) return n;
  const t = Date.parse(h as string);
  return t ? Math.max(1, Math.ceil((t - now) / 1000)) : 30;
}

/**
 * One request; a thrown fetch (offline, CORS, reset) is `undefined`, and so is one with no answer
 * after a minute: a mobile connection can go quiet without closing, and a payment would show
 * "Processing…" for good. Then it is "confirming", retried with the same key. A minute is twice
 * the stub's own wait for CyberSource's answer to a payment.
 */
export async function call(
  endpoint: string,
  method: string,
  path: string,
  body?: object,
  key?: string,
): Promise<Answer | undefined> {
  try {
    const res = await fetch(endpoint + path, {
      method,
      headers: key ? { 'Content-Type': 'application/json', 'Idempotency-Key': key } : {},
      credentials: 'include',
      body: body ? JSON.stringify(body) : null,
      // Optional: a browser without it still pays, without the limit.
      signal: AbortSignal.timeout?.(STALL_MS),
    });
    return {
      status: res.status,
      // A body that is not JSON reads as `undefined`, which no parser accepts.
      body: await res.json().catch(() => {}),
      wait: retryAfter(res.headers.get('Retry-After')),
    };
  } catch {
    return undefined;
  }
}

/**
 * The stub's error envelope `{error:{code,reason?,message,details?}}`; `fields`: the last part of
 * each field its details name ("billTo.postalCode" → "postalCode").
 */
export const errorOf = (a?: Answer) => {
  const e = rec(a?.body, 'error');
  return {
    code: str(e.code) ?? '',
    reason: str(e.reason) ?? '',
    message: str(e.message) ?? '',
    fields: arr(e.details).map((d) =>
      str(isRec(d) && d.field)
        ?.split('.')
        .pop(),
    ),
  };
};
