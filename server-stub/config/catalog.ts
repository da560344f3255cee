/**
 * @module The catalog: what can be bought and for how much. The server decides every amount
 * (DESIGN.md "Stub"); the browser names an item and, for items that declare bounds, a custom
 * amount inside them. It may also say the price and currency it showed the shopper: a catalog
 * changed since the page read it (a new price, another currency, a rolling deploy) is then 409
 * `price_changed`, never a charge of an amount the shopper did not see. Amounts are integers in
 * the currency's minor units.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { stubError } from '../errors.ts';
import { ConfigError } from './env.ts';

const Id = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lowercase letters, digits, _ and -');
const Minor = z.number().int().positive().max(99_999_999);

const Product = z
  .strictObject({
    id: Id,
    name: z.string().min(1).max(120),
    description: z.string().max(500).optional(),
    amount: Minor,
    customAmount: z.strictObject({ min: Minor, max: Minor }).optional(),
  })
  .refine((p) => !p.customAmount || p.customAmount.min <= p.customAmount.max, {
    message: 'customAmount.min must not exceed customAmount.max',
  })
  // The amount is charged when a request names none: it must be one the bounds allow.
  .refine(
    (p) => !p.customAmount || (p.customAmount.min <= p.amount && p.amount <= p.customAmount.max),
    { message: 'amount must be within customAmount', path: ['amount'] },
  );

const Plan = z.strictObject({
  id: Id,
  name: z.string().min(1).max(120),
  description: z.string().max(500).optional(),
  amount: Minor,
  interval: z.enum(['day', 'week', 'month', 'year']),
  intervalCount: z.number().int().min(1).max(12).default(1),
});

export const Catalog = z
  .strictObject({ products: z.array(Product).default([]), plans: z.array(Plan).default([]) })
  .refine(
    (c) =>
      new Set([...c.products, ...c.plans].map((i) => i.id)).size ===
      c.products.length + c.plans.length,
    { message: 'item ids must be unique across products and plans' },
  );
export type Catalog = z.infer<typeof Catalog>;
export type Product = z.infer<typeof Product>;
export type Plan = z.infer<typeof Plan>;
export type PlanInterval = Plan['interval'];

/**
 * With no CHECKOUT_CATALOG. The same as `demo/catalog.json` (a test holds them equal), so the
 * emulator's trigger amounts (2000.00–2103.00) can be typed as a donation with either.
 */
export const DEMO_CATALOG: Catalog = {
  products: [
    { id: 'tshirt', name: 'Project T-shirt', amount: 2500 },
    {
      id: 'donation',
      name: 'Donation',
      description:
        "Any amount from 5.00 to 5,000.00 (the emulator's trigger amounts are in this range)",
      amount: 1000,
      customAmount: { min: 500, max: 500_000 },
    },
  ],
  plans: [
    { id: 'pro-monthly', name: 'Pro plan', amount: 900, interval: 'month', intervalCount: 1 },
  ],
};

/** Reads a catalog file; throws a ConfigError naming the file and the bad fields. */
export async function loadCatalog(path: string | undefined): Promise<Catalog> {
  if (!path) return DEMO_CATALOG;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    const why = err instanceof SyntaxError ? 'not JSON' : 'cannot be read';
    throw new ConfigError([`CHECKOUT_CATALOG: ${path} ${why}`]);
  }
  const parsed = Catalog.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `CHECKOUT_CATALOG (${path}) ${i.path.join('.')}: ${i.message}`,
      ),
    );
  }
  return parsed.data;
}

export type PricedItem =
  | { kind: 'product'; item: Product; amount: number }
  | { kind: 'plan'; item: Plan; amount: number };

/** Resolves what the shopper asked for into the amount the server charges. */
export function priceItem(
  catalog: Catalog,
  request: { id: string; amount?: number | undefined; currency?: string | undefined },
  currency: string,
): PricedItem {
  const changed = (field: string, now: number | string) =>
    stubError('price_changed', { details: [{ field, reason: 'changed', now }] });
  if (request.currency !== undefined && request.currency !== currency)
    throw changed('item.currency', currency);
  const plan = catalog.plans.find((p) => p.id === request.id);
  if (plan) {
    if (request.amount !== undefined && request.amount !== plan.amount)
      throw changed('item.amount', plan.amount);
    return { kind: 'plan', item: plan, amount: plan.amount };
  }
  const product = catalog.products.find((p) => p.id === request.id);
  if (!product) throw stubError('item_not_found', { details: [{ field: 'item.id' }] });
  if (request.amount === undefined)
    return { kind: 'product', item: product, amount: product.amount };
  const bounds = product.customAmount;
  if (!bounds) {
    if (request.amount === product.amount)
      return { kind: 'product', item: product, amount: product.amount };
    throw changed('item.amount', product.amount);
  }
  if (request.amount < bounds.min || request.amount > bounds.max) {
    throw stubError('amount_not_allowed', {
      details: [
        { field: 'item.amount', reason: 'out_of_bounds', min: bounds.min, max: bounds.max },
      ],
    });
  }
  return { kind: 'product', item: product, amount: request.amount };
}

/** `d` plus `months`, on the same day of the month, or the month's last day if it has fewer. */
function addMonths(d: Date, months: number): Date {
  const r = new Date(d.getTime());
  r.setUTCDate(1);
  r.setUTCMonth(r.getUTCMonth() + months);
  const days = new Date(Date.UTC(r.getUTCFullYear(), r.getUTCMonth() + 1, 0)).getUTCDate();
  r.setUTCDate(Math.min(d.getUTCDate(), days));
  return r;
}

/**
 * The end of billing period `period` (1 = the first) of a subscription whose first period
 * started at `anchor`. Counted from the anchor, never from the previous end, and a month
 * without the anchor's day ends on its last day: Jan 31 → Feb 28 → Mar 31 → Apr 30. (A chain
 * of "previous end + 1 month" drifts to the 28th for good, and `setUTCMonth` alone rolls
 * Jan 31 + 1 month over to Mar 3.)
 */
export function periodEnd(
  anchor: Date,
  interval: PlanInterval,
  count: number,
  period: number,
): Date {
  const n = count * period;
  switch (interval) {
    case 'day':
      return new Date(anchor.getTime() + n * 86_400_000);
    case 'week':
      return new Date(anchor.getTime() + n * 7 * 86_400_000);
    case 'month':
      return addMonths(anchor, n);
    case 'year':
      return addMonths(anchor, 12 * n);
  }
}
