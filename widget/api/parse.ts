/**
 * @module Parsers for the stub's JSON answers (shapes: README "Stub contract"). Each returns
 * undefined for a shape it does not recognise, so a stub bug shows as a clear widget error.
 */
import { arr, isRec, rec, str, uint } from './guards.ts';
import type { CatalogItem, Currency, PaymentMethod, PaymentResult, Session } from './types.ts';

/** `GET /api/catalog` → `{currency, items|products|plans: [...]}`: the item with this id. */
export function parseCatalogItem(body: unknown, id: string): CatalogItem | undefined {
  if (!isRec(body)) return;
  const v = [...arr(body.items), ...arr(body.products), ...arr(body.plans)].find(
    (v) => isRec(v) && v.id === id,
  );
  if (!isRec(v)) return;
  const currency = v.currency ?? body.currency;
  const b = rec(v, 'customAmount');
  const min = uint(b.min) ?? Number.NaN;
  const max = uint(b.max) ?? Number.NaN;
  if (['USD', 'CAD', 'EUR'].includes(currency as string))
    return {
      id,
      name: str(v.name) ?? id,
      currency: currency as Currency,
      amount: uint(v.amount),
      interval: str(v.interval),
      intervalCount: uint(v.intervalCount),
      // NaN bounds (absent) compare false.
      custom: min <= max ? { min, max } : undefined,
    };
  return undefined;
}

/**
 * `POST /api/checkout/sessions` 201 body; `expiresAt` as ISO-8601 or epoch milliseconds,
 * `expiresIn` in seconds.
 */
export function parseSession(v: unknown): Session | undefined {
  if (!isRec(v)) return;
  const { sessionId, captureContext, expiresAt: at, environment: env } = v;
  const expiresAt = typeof at === 'string' ? Date.parse(at) : uint(at);
  const environment =
    env === 'emulator' || env === 'sandbox' ? env : v.testMode === true ? 'sandbox' : 'production';
  if (str(sessionId) && str(captureContext) && expiresAt)
    return {
      sessionId: sessionId as string,
      captureContext: captureContext as string,
      expiresAt,
      // Absent (another backend): no bound beyond the context's own.
      expiresIn: uint(v.expiresIn) ?? 1e9,
      environment,
      libraryOrigin: str(v.libraryOrigin),
      requireBillingAddress: v.requireBillingAddress === true,
    };
  return undefined;
}

/** `GET /api/payment-methods` → `{paymentMethods: [...]}`; malformed entries are dropped. */
export const parsePaymentMethods = (body: unknown): PaymentMethod[] =>
  arr(isRec(body) && body.paymentMethods).flatMap((v) =>
    isRec(v) && str(v.id) && /^\d{4}$/.test(str(v.last4) as string)
      ? {
          id: v.id as string,
          brand: str(v.brand) ?? '',
          last4: v.last4 as string,
          expirationMonth: str(v.expirationMonth),
          expirationYear: str(v.expirationYear),
          // The stub says `default` (server-stub/checkout/payment-methods.ts); `isDefault` is accepted too.
          isDefault: v.default === true || v.isDefault === true,
        }
      : [],
  );

/** `POST /api/checkout/payments` 201 body. */
export function parsePaymentResult(body: unknown): PaymentResult | undefined {
  const p = rec(body, 'payment');
  const id = str(p.id);
  const amount = uint(p.amount);
  const card = rec(p, 'card');
  const last4 = str(card.last4);
  const sub = rec(body, 'subscription');
  if (id && amount !== undefined)
    return {
      payment: {
        id,
        status: str(p.status) ?? '',
        amount,
        currency: str(p.currency),
        card: last4 ? { brand: str(card.brand) ?? '', last4 } : undefined,
      },
      subscription: Object.keys(sub).length ? sub : undefined,
    };
  return undefined;
}
