/**
 * @module Row parsing: every row read from the database goes through zod, like any other
 * value crossing a boundary (DESIGN.md "Principles").
 */
import { z } from 'zod';

const ts = z.coerce.date();
const optionalText = z.string().nullable();

export const ShopperRow = z.object({ id: z.string(), customer_id: optionalText, created_at: ts });
export type ShopperRow = z.infer<typeof ShopperRow>;

export const Jwk = z.looseObject({
  kty: z.literal('RSA'),
  n: z.string(),
  e: z.string(),
  kid: z.string().optional(),
});
export type Jwk = z.infer<typeof Jwk>;

export const SessionRow = z.object({
  id: z.string(),
  shopper_id: z.string(),
  capture_context: z.string(),
  flx_jwk: Jwk,
  target_origins: z.array(z.string()),
  flex_key_id: optionalText,
  created_at: ts,
  expires_at: ts,
});
export type SessionRow = z.infer<typeof SessionRow>;

export const PaymentMethodRow = z.object({
  id: z.string(),
  shopper_id: z.string(),
  customer_id: z.string(),
  instrument_identifier_id: z.string(),
  brand: z.string(),
  last4: z.string(),
  expiration_month: optionalText,
  expiration_year: optionalText,
  created_at: ts,
  /** Set while a removal holds the card (migration 012). */
  removing_since: ts.nullable(),
  /** When the shopper last made it the default (migration 026). */
  default_chosen_at: ts.nullable(),
});
export type PaymentMethodRow = z.infer<typeof PaymentMethodRow>;

export const PaymentStatus = z.enum([
  'pending',
  'succeeded',
  'review',
  'declined',
  'failed',
  'unknown',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;
export const AuthHold = z.enum(['held', 'released', 'release_failed']);
export type AuthHold = z.infer<typeof AuthHold>;
export const PaymentKind = z.enum(['one_time', 'subscription_start', 'renewal']);
export type PaymentKind = z.infer<typeof PaymentKind>;

export const PaymentRow = z.object({
  id: z.string(),
  kind: PaymentKind,
  shopper_id: optionalText,
  session_id: optionalText,
  item_id: z.string(),
  subscription_id: optionalText,
  period: z.number().int().nullable(),
  amount: z.number().int(),
  currency: z.string(),
  status: PaymentStatus,
  transaction_id: z.string(),
  reference_code: z.string(),
  cybersource_id: optionalText,
  network_transaction_id: optionalText,
  payment_method_id: optionalText,
  customer_id: optionalText,
  card_brand: optionalText,
  card_last4: optionalText,
  decline_reason: optionalText,
  refunded_amount: z.number().int(),
  /**
   * An authorization CyberSource approved for a payment that is not a sale (risk declined,
   * migration 013): `held` until reversed, then `released`, or `release_failed`.
   */
  auth_hold: AuthHold.nullable(),
  hold_attempts: z.number().int(),
  hold_next_at: ts.nullable(),
  /**
   * A plan's first payment whose subscription could not be started from it (migration 025,
   * `reconcile/plan-start.ts`): an operator's to refund.
   */
  plan_start_given_up_at: ts.nullable().default(null),
  created_at: ts,
  updated_at: ts,
});
export type PaymentRow = z.infer<typeof PaymentRow>;

export const RefundStatus = z.enum(['pending', 'succeeded', 'failed', 'unknown']);
export type RefundStatus = z.infer<typeof RefundStatus>;

export const RefundRow = z.object({
  id: z.string(),
  payment_id: z.string(),
  amount: z.number().int(),
  status: RefundStatus,
  transaction_id: z.string(),
  cybersource_id: optionalText,
  failure_reason: optionalText,
  created_at: ts,
  updated_at: ts,
});
export type RefundRow = z.infer<typeof RefundRow>;

/**
 * `past_due`: a renewal failed and another attempt is scheduled; `unpaid`: terminal, renew-due
 * stops (retries spent, or a decline no retry can fix: server-stub/README.md "Renewal retries").
 */
export const SubscriptionStatus = z.enum(['active', 'past_due', 'unpaid', 'canceled']);
export type SubscriptionStatus = z.infer<typeof SubscriptionStatus>;

export const SubscriptionRow = z.object({
  id: z.string(),
  shopper_id: z.string(),
  plan_id: z.string(),
  customer_id: z.string(),
  payment_method_id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  interval: z.enum(['day', 'week', 'month', 'year']),
  interval_count: z.number().int(),
  status: SubscriptionStatus,
  /** Null when the first payment's answer carried none (migration 027). */
  network_transaction_id: optionalText,
  current_period: z.number().int(),
  current_period_start: ts,
  current_period_end: ts,
  created_at: ts,
  updated_at: ts,
  /** Failed renewals of the next period (migration 007). */
  renewal_attempts: z.number().int(),
  /** When renew-due may try the next period again; null: at `current_period_end`. */
  next_renewal_at: ts.nullable(),
  renewal_failure_reason: optionalText,
  /** The payment whose failure was counted last: one payment never counts twice. */
  renewal_failure_payment_id: optionalText,
  /** When the merchant or the shopper canceled it (migration 010). */
  canceled_at: ts.nullable(),
  /** Who canceled it (migration 020); null when canceled before that migration, or not canceled. */
  canceled_by: z.enum(['shopper', 'merchant']).nullable().default(null),
  /**
   * The amount of the payment `network_transaction_id` names, when not the subscription's own
   * (its card was changed: migration 017); Discover and Diners Club renewals cite it.
   */
  cited_amount: z.number().int().nullable(),
});
export type SubscriptionRow = z.infer<typeof SubscriptionRow>;

export const IdempotencyRow = z.object({
  scope: z.string(),
  key: z.string(),
  request_hash: z.string(),
  status: z.enum(['in_flight', 'done', 'expired']),
  response_status: z.number().int().nullable(),
  response_body: z.unknown(),
  created_at: ts,
});
export type IdempotencyRow = z.infer<typeof IdempotencyRow>;

export function rowsOf<T>(schema: z.ZodType<T>, rows: unknown[]): T[] {
  return rows.map((r) => schema.parse(r));
}

export function firstOf<T>(schema: z.ZodType<T>, rows: unknown[]): T | undefined {
  const [row] = rows;
  return row === undefined ? undefined : schema.parse(row);
}
