/**
 * @module Parsers for the stub's JSON answers (shapes: README "Stub contract"). Each returns
 * undefined for a shape it does not recognise, so a stub bug shows as a clear widget error.
 */
import { arr, bool, isRec, rec, str, uint } from './guards.ts';
import type { CatalogItem, Currency, PaymentMethod, PaymentResult, Session } from './types.ts';

const currency = (v: unknown): Currency | undefined =>
  v === 'USD' || v === 'CAD' || v === 'EUR' ? v : undefined;

/** `GET /api/catalog` → `{currency, items|products|plans: [...]}`: the item with this id. */
export function parseCatalogItem(body: unknown, id: string): CatalogItem | undefined {
  if (!isRec(body)) return undefined;
  for (const v of [...arr(body.items), ...arr(body.products), ...arr(body.plans)]) {
    if (!isRec(v) || v.id !== id) continue;
    const cur = currency(v.currency ?? body.currency);
    const b = rec(v, 'customAmount');
    const min = uint(b.min);
    const max = uint(b.max);
    return (
      cur && {
        id,
        name: str(v.name) ?? id,
        currency: cur,
        amount: uint(v.amount),
        interval: str(v.interval),
        custom: min !== undefined && max !== undefined && min <= max ? { min, max } : undefined,
      }
    );
  }
  return undefined;
}

/** `POST /api/checkout/sessions` 201 body; `expiresAt` as ISO-8601 or epoch milliseconds. */
export function parseSession(v: unknown): Session | undefined {
  if (!isRec(v)) return undefined;
  const sessionId = str(v.sessionId);
  const captureContext = str(v.captureContext);
  const expiresAt = typeof v.expiresAt === 'string' ? Date.parse(v.expiresAt) : uint(v.expiresAt);
  if (!sessionId || !captureContext || !expiresAt) return undefined;
  const env = v.environment;
  const environment =
    env === 'emulator' || env === 'sandbox' ? env : v.testMode === true ? 'sandbox' : 'production';
  return {
    sessionId,
    captureContext,
    expiresAt,
    environment,
    // The emulator origin counts only in emulator mode (README "Stub contract").
    emulatorOrigin: environment === 'emulator' ? str(v.emulatorOrigin) : undefined,
    requireBillingAddress: bool(v.requireBillingAddress) ?? false,
  };
}

/** `GET /api/payment-methods` → `{paymentMethods: [...]}`; malformed entries are dropped. */
export function parsePaymentMethods(body: unknown): PaymentMethod[] {
  const out: PaymentMethod[] = [];
  for (const v of arr(isRec(body) ? body.paymentMethods : undefined)) {
    if (!isRec(v)) continue;
    const id = str(v.id);
    const last4 = str(v.last4);
    if (!id || !last4 || !/^\d{4}$/.test(last4)) continue;
    out.push({
      id,
      brand: str(v.brand) ?? '',
      last4,
      expirationMonth: str(v.expirationMonth),
      expirationYear: str(v.expirationYear),
      // The stub says `default` (server-stub/checkout/payment-methods.ts); `isDefault` is accepted too.
      isDefault: v.default === true || v.isDefault === true,
    });
  }
  return out;
}

/** `POST /api/checkout/payments` 201 body. */
export function parsePaymentResult(body: unknown): PaymentResult | undefined {
  const p = rec(body, 'payment');
  const id = str(p.id);
  const amount = uint(p.amount);
  const card = rec(p, 'card');
  const last4 = str(card.last4);
  const sub = rec(body, 'subscription');
  return id && amount !== undefined
    ? {
        payment: {
          id,
          status: str(p.status) ?? '',
          amount,
          currency: str(p.currency) ?? '',
          card: last4 ? { brand: str(card.brand) ?? '', last4 } : undefined,
        },
        subscription: Object.keys(sub).length ? sub : undefined,
      }
    : undefined;
}
