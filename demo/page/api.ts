/**
 * The demo page's calls to the stub, parsed with zod (the page trusts nothing it fetches).
 */
import { z } from 'zod';

// Zod compiles object parsers with `new Function` when it may; its probe for that (`eval` under
// the page's CSP, which allows no 'unsafe-eval') is itself reported as a violation on every page
// view. Its interpreted parsers are plenty for a few small answers.
z.config({ jitless: true });

const Item = z.object({
  id: z.string(),
  name: z.string(),
  amount: z.number().int(),
  description: z.string().optional(),
  customAmount: z.object({ min: z.number().int(), max: z.number().int() }).optional(),
  interval: z.string().optional(),
  intervalCount: z.number().int().optional(),
});
export type Item = z.infer<typeof Item>;

export const Catalog = z.object({
  currency: z.string(),
  minorUnits: z.number().int(),
  products: z.array(Item),
  plans: z.array(Item),
});
export type Catalog = z.infer<typeof Catalog>;

export type PaymentMethod = z.infer<typeof PaymentMethods>['paymentMethods'][number];
export const PaymentMethods = z.object({
  paymentMethods: z.array(
    z.object({
      id: z.string(),
      brand: z.string(),
      last4: z.string(),
      expirationMonth: z.string().nullable(),
      expirationYear: z.string().nullable(),
      default: z.boolean(),
    }),
  ),
});

export const AdminPayments = z.object({
  payments: z.array(
    z.object({
      id: z.string(),
      status: z.string(),
      amount: z.number().int(),
      currency: z.string(),
      refundedAmount: z.number().int(),
      /** Of refundedAmount, what is still being confirmed (a refund whose answer was lost). */
      unresolvedRefundAmount: z.number().int().optional(),
      kind: z.string(),
      itemId: z.string().nullable(),
      period: z.number().int().nullable().optional(),
      declineReason: z.string().nullable(),
      /** A risk-declined sale's authorization: held until the stub reverses it. */
      authorizationHold: z.string().nullable().optional(),
      /** A plan paid whose subscription never started and cannot start from it. */
      planStartGivenUpAt: z.string().nullable().optional(),
      createdAt: z.string(),
      card: z.object({ brand: z.string(), last4: z.string() }),
    }),
  ),
});
export type AdminPayment = z.infer<typeof AdminPayments>['payments'][number];

/** What both the panel and the shopper's list read of a subscription. */
const Subscription = z.object({
  id: z.string(),
  planId: z.string(),
  status: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  interval: z.string(),
  intervalCount: z.number().int(),
  currentPeriodEnd: z.string(),
});

export const AdminSubscriptions = z.object({
  subscriptions: z.array(
    Subscription.extend({
      currentPeriod: z.number().int(),
      renewal: z.object({ lastFailurePaymentId: z.string().nullable() }),
    }),
  ),
});

export const ShopperSubscriptions = z.object({
  subscriptions: z.array(
    Subscription.extend({
      canceledAt: z.string().nullable(),
      canceledBy: z.enum(['shopper', 'merchant']).nullable(),
      paymentMethodId: z.string(),
    }),
  ),
});

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * The merchant's admin token, for the panel's calls. On the emulator the page carries it (a
 * meta tag: nothing there is real money). Against CyberSource it does not: the operator types
 * it into the panel, and it is kept in this tab's sessionStorage only (gone with the tab, never
 * shared with another tab, never sent anywhere but as this origin's Authorization header).
 */
const TOKEN_KEY = 'demo-admin-token';
const embeddedToken = document.querySelector<HTMLMetaElement>(
  'meta[name="demo-admin-token"]',
)?.content;
/** Whether the page carries the token (the emulator), or the panel asks for it. */
export const tokenEmbedded = embeddedToken !== undefined;

/** sessionStorage, or nothing where the browser refuses it (storage disabled). */
function tabStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

let adminToken = embeddedToken ?? tabStorage()?.getItem(TOKEN_KEY) ?? '';

/** The token the panel's calls send now (`''`: none yet, the panel waits for it). */
export const adminTokenNow = (): string => adminToken;

/** A token typed into the panel, sent from now on (kept for the tab once accepted). */
export function useAdminToken(token: string): void {
  adminToken = token;
}

/** The token the stub just accepted, kept in this tab's sessionStorage (not on the emulator). */
export function keepAdminToken(): void {
  if (tokenEmbedded || !adminToken) return;
  try {
    tabStorage()?.setItem(TOKEN_KEY, adminToken);
  } catch {
    // A full or refused storage: the token still works until the page is reloaded.
  }
}

/** A refused token, or the operator's "Forget": neither sent nor kept any more. */
export function forgetAdminToken(): void {
  adminToken = '';
  try {
    tabStorage()?.removeItem(TOKEN_KEY);
  } catch {}
}

/** A call the stub refused, with its HTTP status (401: the admin token is wrong). */
export class CallError extends Error {
  readonly status: number;
  constructor(message: string, status: number) {
    super(message);
    this.status = status;
  }
}

/**
 * A read left unanswered this long is given up: the panel redraws one at a time, and a read that
 * never answers would hold every later redraw, and the outcome of the action waiting on it.
 * Above the stub's slowest answer to one (the saved cards: two TMS customers read in turn, each
 * up to 3 tries of 10 s with a backoff: about a minute), so a slow answer is never cut off. Writes
 * are never given up here: the stub may have made the refund, and only its answer says.
 */
const READ_TIMEOUT_MS = 75_000;

export async function call<T>(
  path: string,
  schema: z.ZodType<T>,
  init: { method?: string; body?: unknown; admin?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.method && init.method !== 'GET' && init.method !== 'DELETE')
    headers['idempotency-key'] = crypto.randomUUID();
  if (init.admin) headers.authorization = `Bearer ${adminToken}`;
  const method = init.method ?? 'GET';
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    // A browser without AbortSignal.timeout (Safari before 16) waits, as before, and still works.
    ...(method === 'GET' ? { signal: AbortSignal.timeout?.(READ_TIMEOUT_MS) } : {}),
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const json: unknown = res.status === 204 ? {} : await res.json();
  const err = ErrorBody.safeParse(json);
  // A 202 with an error is no success: a refund or renewal whose answer was lost
  // (`…_outcome_unknown`) or held for review, which the panel must not call "done".
  if (res.status === 202 && err.success)
    throw new Error(
      err.data.error.code === 'payment_under_review'
        ? 'held for review.'
        : 'sent, but its answer was lost; it is being confirmed (see Payments).',
    );
  if (!res.ok)
    throw new CallError(err.success ? err.data.error.message : `HTTP ${res.status}`, res.status);
  return schema.parse(json);
}

/** A plan's period after "/": "month", or "3 months" for a plan billed every 3 months. */
export const per = (interval: string, count = 1): string =>
  count > 1 ? `${count} ${interval}s` : interval;

export function formatMoney(minor: number, currency: string, minorUnits = 2): string {
  return new Intl.NumberFormat(document.documentElement.lang || 'en', {
    style: 'currency',
    currency,
  }).format(minor / 10 ** minorUnits);
}
