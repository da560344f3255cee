/**
 * @module The widget's only network code: calls to the merchant's server stub (DESIGN.md table).
 * Every call sends the shopper cookie (`credentials: 'include'`); POSTs carry an
 * `Idempotency-Key` the caller owns, so a retry of the same attempt reuses it
 * (RELIABILITY-FACTS §2).
 */
import { rec, str } from './guards.ts';
import type { Failure, PaymentRequest } from './types.ts';

export interface Answer {
  status: number;
  body: unknown;
  /** Seconds from `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date); 30 if absent. */
  wait: number;
}

export function retryAfter(h: string | null, now = Date.now()): number {
  const n = Number(h);
  if (h && n >= 0) return n;
  const t = Date.parse(h ?? '');
  return t ? Math.max(1, Math.ceil((t - now) / 1000)) : 30;
}

/** One request; a thrown fetch (offline, CORS, reset) is `undefined`. */
export async function call(
  endpoint: string,
  method: string,
  path: string,
  body?: unknown,
  key?: string,
): Promise<Answer | undefined> {
  try {
    const res = await fetch(endpoint + path, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...(key && { 'Idempotency-Key': key }),
      },
      credentials: 'include',
      body: body ? JSON.stringify(body) : null,
    });
    return {
      status: res.status,
      // A body that is not JSON reads as `undefined`, which no parser accepts.
      body: await res.json().catch(() => undefined),
      wait: retryAfter(res.headers.get('Retry-After')),
    };
  } catch {
    return undefined;
  }
}

/** The stub's error envelope `{error:{code,reason?,message}}`. */
export const errorOf = (a: Answer) => {
  const e = rec(a.body, 'error');
  return { code: str(e.code) ?? '', reason: str(e.reason) ?? '', message: str(e.message) ?? '' };
};

/**
 * `POST /api/checkout/payments` as an answer or a Failure. A 202, a 5xx (except the up-front
 * 503 `checkout_disabled`) or a lost connection means the payment may have happened: "outcome
 * unknown", to be re-asked with the same key, never re-paid with a new one
 * (RELIABILITY-FACTS §3.6).
 */
export async function postPayment(
  endpoint: string,
  req: PaymentRequest,
  key: string,
): Promise<Answer | Failure> {
  const a = await call(endpoint, 'POST', '/api/checkout/payments', req, key);
  if (!a) return { kind: 'unknown' };
  const e = errorOf(a);
  if (a.status === 201) return a;
  if (a.status === 429) return { kind: 'rate_limited', retryAfter: a.wait };
  if (a.status === 402 || e.code === 'card_declined')
    return { kind: 'declined', reason: e.reason, message: e.message };
  if (
    a.status === 202 ||
    e.code === 'payment_outcome_unknown' ||
    (a.status >= 500 && e.code !== 'checkout_disabled')
  )
    return { kind: 'unknown' };
  return { kind: 'http', status: a.status, code: e.code, message: e.message };
}
