/**
 * @module The widget's only network code: calls to the merchant's server stub (DESIGN.md table).
 * Every call sends the shopper cookie (`credentials: 'include'`); POSTs carry an
 * `Idempotency-Key` the caller owns, so a retry of the same attempt reuses it
 * (RELIABILITY-FACTS §2).
 */
import { rec, str } from './guards.ts';
import { parsePaymentResult } from './parse.ts';
import type { Failure, PaymentRequest, PaymentResult } from './types.ts';

export interface Answer {
  status: number;
  body: unknown;
  /** Seconds from `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date); 30 if absent. */
  wait: number;
}

export function retryAfter(h: string | null, now = Date.now()): number {
  const n = Number(h);
  if (h && n >= 0) return n;
  const t = Date.parse(h as string);
  return t ? Math.max(1, Math.ceil((t - now) / 1000)) : 30;
}

/** One request; a thrown fetch (offline, CORS, reset) is `undefined`. */
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

/** The stub's error envelope `{error:{code,reason?,message}}`. */
export const errorOf = (a?: Answer) => {
  const e = rec(a?.body, 'error');
  return { code: str(e.code) ?? '', reason: str(e.reason) ?? '', message: str(e.message) ?? '' };
};

/**
 * `POST /api/checkout/payments` as the payment or a Failure. A 202, a 5xx (except the up-front
 * 503 `checkout_disabled`), a 201 we cannot read or a lost connection means the payment may
 * have happened: "outcome unknown", to be re-asked with the same key, never re-paid with a new
 * one (RELIABILITY-FACTS §3.6).
 */
export async function postPayment(
  endpoint: string,
  req: PaymentRequest,
  key: string,
): Promise<PaymentResult | Failure> {
  const a = await call(endpoint, 'POST', '/api/checkout/payments', req, key);
  const s = a?.status ?? 0;
  const e = errorOf(a);
  return (
    (s === 201 && parsePaymentResult(a?.body)) ||
    (s === 429
      ? { kind: 'rate_limited', retryAfter: a?.wait ?? 30 }
      : s === 402 || e.code === 'card_declined'
        ? { kind: 'declined', ...e }
        : !s ||
            s === 201 ||
            s === 202 ||
            e.code === 'payment_outcome_unknown' ||
            (s > 499 && e.code !== 'checkout_disabled')
          ? { kind: 'unknown' }
          : { kind: 'http', status: s, ...e })
  );
}
