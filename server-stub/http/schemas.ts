/**
 * @module What the browser and the merchant panel may send: strict objects only, so an unknown
 * field is a 400, never silently ignored.
 */
import { z } from 'zod';
import {
  checkArea,
  normalizePostalCode,
  paymentContactLimits,
} from '../../cybersource/payments/address.ts';
import { BillTo as TmsBillTo } from '../../cybersource/tms/common.ts';

const Id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/);
const Minor = z.number().int().positive().max(99_999_999);

// The payment's email and phone limits, tighter than TMS's: the address goes on the sale.
const BillToFields = TmsBillTo.omit({ company: true }).extend(paymentContactLimits);

/**
 * An address as a shopper typed it, read the way CyberSource needs it: each text trimmed, so a
 * field of spaces is as empty as it is to CyberSource (our 400, not its MISSING_FIELD after the
 * transient token is spent), and a US or Canadian postal code written the documented way where
 * the spelling has one reading ("k1a0b1" is K1A 0B1). Anything else is left for the schema.
 */
const readAddress = (v: unknown): unknown => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  // fromEntries defines each key as it is, "__proto__" too (left for the strict schema to refuse).
  const trimmed: Record<string, unknown> = Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x.trim() : x]),
  );
  const { country, postalCode } = trimmed;
  if (typeof postalCode === 'string')
    trimmed.postalCode = normalizePostalCode(
      typeof country === 'string' ? country : undefined,
      postalCode,
    );
  return trimmed;
};

/**
 * The billing address a shopper may send: TMS's `billTo` fields (one definition, in cybersource/),
 * with the payment's US/CA state and postal-code checks, so a bad one is our 400 before the
 * transient token is spent, never CyberSource's after.
 */
export const BillTo = z.preprocess(readAddress, BillToFields.superRefine(checkArea));

/** A body that carries nothing: `{}`, or none at all (read with `emptyAllowed`). */
export const EmptyBody = z.strictObject({});

/** A session takes no options: the capture context is the stub's (targetOrigins, networks). */
export const SessionBody = EmptyBody;

const Common = {
  // `amount` and `currency` as the page showed them (catalog.ts `priceItem`).
  item: z.strictObject({
    id: Id,
    amount: Minor.optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'an ISO 4217 code')
      .optional(),
  }),
  savePaymentMethod: z.boolean().optional(),
  email: z.email().max(255).optional(),
  billTo: BillTo.optional(),
};

/** A compact JWS: three base64url parts, bounded well under the body limit. */
const Jwt = z
  .string()
  .max(8192)
  .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'expected a JWT');

export const PaymentBody = z.union([
  z.strictObject({ sessionId: Id, transientToken: Jwt, ...Common }),
  z.strictObject({ paymentMethodId: Id, ...Common }),
]);
export type PaymentBody = z.infer<typeof PaymentBody>;

/**
 * The address a CyberSource account without "relaxed requirements for address data" needs on a
 * card payment (API-FACTS §2.2): name, street, city, country, email, and for the US and Canada a
 * postal code and a state or province code (a bad one is refused INVALID_DATA, §6).
 */
const RequiredBillTo = BillToFields.required({
  firstName: true,
  lastName: true,
  address1: true,
  locality: true,
  country: true,
}).superRefine((b, ctx) => {
  const northAmerica = b.country === 'US' || b.country === 'CA';
  for (const field of ['administrativeArea', 'postalCode'] as const)
    if (northAmerica && b[field] === undefined)
      ctx.addIssue({
        code: 'custom',
        message: `required for a ${b.country} address`,
        path: [field],
      });
  checkArea(b, ctx);
});

/**
 * With CHECKOUT_REQUIRE_BILLING_ADDRESS (the default against CyberSource) a new card pays only
 * with the address the widget collects, and an email (top level, as the widget sends it, or in
 * `billTo`). A saved card's address is vaulted with it.
 */
export const PaymentBodyWithBilling = z.union([
  z
    .strictObject({
      sessionId: Id,
      transientToken: Jwt,
      ...Common,
      // No address at all is every required field missing, named one by one (`billTo.firstName`…).
      billTo: z.preprocess((v) => readAddress(v ?? {}), RequiredBillTo),
    })
    // Checked even when the address has issues of its own, so one 400 names every missing field
    // (`when`: zod skips a refinement of an object with issues otherwise); the value may then be
    // partly invalid, hence the optional reads.
    .refine((b) => b?.email !== undefined || b?.billTo?.email !== undefined, {
      message: 'required with a billing address',
      path: ['email'],
      when: () => true,
    }),
  z.strictObject({ paymentMethodId: Id, ...Common }),
]);

export const RefundBody = z.strictObject({ amount: Minor.optional() });
/**
 * "Renew now" names the period it pays (the subscription's `currentPeriod + 1`), so a retry with
 * a fresh Idempotency-Key cannot bill the period after it (renewal_period_mismatch).
 */
export const RenewalBody = z.strictObject({
  period: z.number().int().min(1).max(1_000_000),
  /**
   * The last failed attempt the panel showed (`renewal.lastFailurePaymentId`; `null`: none), if
   * it says: another counted since is refused (`checkout/renew.ts`).
   */
  lastFailurePaymentId: Id.nullable().optional(),
});

/**
 * A scheduler's run of every due renewal (`renew-due-run.ts`), at most `limit` subscriptions
 * (the rest are still due on the next run).
 */
export const RenewDueBody = z.strictObject({ limit: z.number().int().min(1).max(500).optional() });

/** Canceling takes no options: renewals stop now, the paid period stands. */
export const CancelBody = EmptyBody;
export const ResumeBody = EmptyBody;

/** The saved card a subscription renews with from now on. */
export const SubscriptionCardBody = z.strictObject({ paymentMethodId: Id });

export const NoQuery = z.strictObject({});

export const PathId = Id;

export const AdminListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .default(50),
  status: z.enum(['pending', 'succeeded', 'review', 'declined', 'failed', 'unknown']).optional(),
  before: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    // Year 0000 passes the ISO check but not PostgreSQL (no year zero): a 400, not a 500.
    .pipe(z.date().min(new Date('0001-01-01T00:00:00Z'), 'expected year 0001 or later'))
    .optional(),
  /** The last id of the page before (its `nextCursor`). */
  startingAfter: Id.optional(),
  shopperId: Id.optional(),
  subscriptionId: Id.optional(),
  /** CyberSource's id of the sale, as the Business Center shows it. */
  cybersourceId: Id.optional(),
});
export const AdminSubscriptionsQuery = z.strictObject({
  limit: AdminListQuery.shape.limit,
  status: z.enum(['active', 'past_due', 'unpaid', 'canceled']).optional(),
  startingAfter: Id.optional(),
});
